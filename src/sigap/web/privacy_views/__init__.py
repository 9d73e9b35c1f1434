"""Personal-data pages (/privasi/...): the access log (access.py) and whatever else the
privacy app shows people, one module each."""
