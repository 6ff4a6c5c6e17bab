"""Operating a ward's server: the `tsunagu` subcommands (db, demo, kiosks, report, privacy,
backup, restore, import), backups and restores, and the demo ward.

They stand beside the domain core, not in it: each calls the services below for every rule.
"""
