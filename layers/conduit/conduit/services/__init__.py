"""Business rules of the Conduit API, independent of HTTP and Lambda."""
