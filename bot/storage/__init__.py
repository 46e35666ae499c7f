"""All SQL lives in this package; services own transactions and pass the connection in."""
