"""The CLI's commands, grouped as the case's commands are: contact, money, holds, escalation;
plus opening, reading and the tool's own (demo, serve). Each module lists its `COMMANDS`;
`cli.main` registers them."""
