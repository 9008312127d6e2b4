"""Role-play practice for producers receiving warm transfers from a voice AI."""
