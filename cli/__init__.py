"""The `arrears` command-line tool: one click command per case command, plus show, timeline,
demo and serve. Entry point: `cli.main:main`."""
