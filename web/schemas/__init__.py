"""marshmallow schemas: commands in (forms and API alike), read models out."""
