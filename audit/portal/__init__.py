"""The franchise owner's portal: own branches against the brand, visits, disputes."""
