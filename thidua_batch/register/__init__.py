"""The award register: signed decisions and their awardees in one SQLite file (register.md)."""
