# VmmDatabaseBackup: the hand-written state logic; the generator adds what the model owns (see templates/dsc/README.md).
class VmmDatabaseBackup : VmmResourceBase
{
    hidden [hashtable] GetCurrentState([hashtable] $desired)
    {
        $databaseName = ''
        if ($desired.ContainsKey('Database')) {
            $databaseName = $desired['Database']
        }
        $state = Get-VmmDscDatabaseBackup -Path $desired['Path'] -Database $databaseName
        $age = $null
        if ($state.Verified) {
            $age = $this.ToWholeHours($state.AgeHours)
        }
        return @{
            Path             = $desired['Path']
            AgeHours         = $age
            Database         = $state.Database
            LatestBackup     = $state.LatestBackup
            LatestBackupTime = $state.LatestBackupTime
            Verified         = $state.Verified
            _State           = $state
        }
    }

    hidden [object[]] CompareState([hashtable] $current, [hashtable] $desired)
    {
        $fix = 'Set() takes and verifies a new one (Backup-VmmDatabase -Path ''{0}'').' -f $desired['Path']
        $differences = $this.CompareBackupState($current['_State'], $desired, 'Path', 'A verified backup of the VMM database is required.', 'The newest database backup is not verified', 'The newest verified database backup', $fix)
        return $differences.ToArray()
    }

    hidden [void] Modify([hashtable] $desired, [hashtable] $current, [object[]] $differences)
    {
        $null = Resolve-VmmBackupPath -Path $desired['Path'] -Create
        $null = $this.InvokeSetCommand($this.GetSetParameters($desired))
    }
}
