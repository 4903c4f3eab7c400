"""Attachments: documents kept as evidence of a case.

`store` holds the `BlobStore` port and its file-system adapter (content-addressed by
SHA-256, written atomically); `types` reads a document's media type from its content;
`policy` is the size limit and the allowed types (from configuration); `service` attaches
an upload to a case (checked, stored, then recorded) and reads the content back, checked
against its hash.
"""
