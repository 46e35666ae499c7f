"""Test helpers for Steady: a fake Bot API server, a movable clock and an in-process bot runner."""
