"""The shoppers' job board: open visits of campaigns that allow claims."""
