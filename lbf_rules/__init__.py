"""lbf-rules: Landsbyggefonden's rules for boligsociale indsatser as versioned, declarative data."""
