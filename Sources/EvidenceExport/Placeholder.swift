/// The auditor export bundle; filled in by the export work.
enum EvidenceExportPlaceholder {}
