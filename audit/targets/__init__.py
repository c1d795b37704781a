"""Time-bound targets per brand, region or branch, and the progress made towards them."""
