"""Action plans: initiatives serving objectives, and their tasks."""
