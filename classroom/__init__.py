"""The domain core: classes, sessions, registrations, attendance, reports.

Plain Python and SQLAlchemy. Imports nothing else of Tsunagu's.
"""
