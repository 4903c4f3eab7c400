"""Invoices in: accounting exports (CSV, XLSX) and e-invoices (UBL, CII, Factur-X PDF).

A parser turns one file into rows of one frozen value each (`values.ImportedInvoice`, or a
`values.RowError` naming the file, the row or element, the field and the reason); the
importer (`importer.Importer`) turns the rows into the same typed commands a person would
give (`OpenCase`, `RecordPayment`, `WriteOff`, `SetTask`, `AttachDocument`) and runs them
through `CaseService.handle` with idempotency keys. Nothing writes events another way.
"""
