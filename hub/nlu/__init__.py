"""Understanding: text -> commands for this home (normalise -> model -> resolve)."""
