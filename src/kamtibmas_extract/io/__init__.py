"""Input readers and the dataset writer."""
