"""Tools for developing Tenfold (security checks of the source and its dependencies); nothing
here runs in a deployment."""
