"""Helpers every stage uses and that know nothing of the domain: Vietnamese text keys (`text`),
atomic writes (`atomic`), phase timings (`timings`). Imports nothing from the package."""
