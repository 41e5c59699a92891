"""Pulses: the "magic question" sent to members, their answers and strategy awareness."""
