"""The parts of the load test that bench/loadtest.py runs (`make loadtest`)."""
