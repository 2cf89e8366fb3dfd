/** The columns of the msdb backup-history query (src/sql), as the TDS double returns them: one row per backup file. */
export const HISTORY_COLUMNS = [
  { name: 'backup_set_id', type: 'int' },
  { name: 'database_name', type: 'nvarchar(128)' },
  { name: 'server_name', type: 'nvarchar(128)' },
  { name: 'type', type: 'nvarchar(1)' },
  { name: 'backup_start_date', type: 'datetime' },
  { name: 'backup_finish_date', type: 'datetime' },
  { name: 'age_seconds', type: 'int' },
  { name: 'is_copy_only', type: 'bit' },
  { name: 'has_backup_checksums', type: 'bit' },
  { name: 'is_damaged', type: 'bit' },
  { name: 'backup_size', type: 'bigint' },
  { name: 'compressed_backup_size', type: 'bigint' },
  { name: 'media_set_id', type: 'int' },
  { name: 'family_sequence_number', type: 'tinyint' },
  { name: 'physical_device_name', type: 'nvarchar(260)' },
];
