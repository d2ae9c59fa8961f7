"""DynamoDB access: one table, keys designed per access pattern (see docs/data-model.md)."""
