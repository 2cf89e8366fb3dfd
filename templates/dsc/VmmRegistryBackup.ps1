# VmmRegistryBackup: the hand-written state logic; the generator adds what the model owns (see templates/dsc/README.md).
class VmmRegistryBackup : VmmResourceBase
{
    hidden [hashtable] GetCurrentState([hashtable] $desired)
    {
        $info = $this.GetResourceInfo()
        $state = Get-VmmDscRegistryBackup -Path $desired['Path'] -SettingsKey $info.SettingsKey -SqlSubkey $info.SqlSubkey
        $age = $null
        $includesSql = $null
        if ($state.Verified) {
            $age = $this.ToWholeHours($state.AgeHours)
            $includesSql = $state.IncludesSql
        }
        return @{
            Path             = $desired['Path']
            AgeHours         = $age
            IncludeSql       = $includesSql
            LatestBackup     = $state.LatestBackup
            LatestBackupTime = $state.LatestBackupTime
            Verified         = $state.Verified
            _State           = $state
        }
    }

    hidden [object[]] CompareState([hashtable] $current, [hashtable] $desired)
    {
        $state = $current['_State']
        $fix = 'Set() writes a new one (Backup-VmmRegistrySetting -Path ''{0}'').' -f $desired['Path']
        $differences = $this.CompareBackupState($state, $desired, 'Path', 'An export of the VMM settings registry key is required.', 'The newest registry export is not sound', 'The newest registry export', $fix)
        if (-not $state.Verified) {
            return $differences.ToArray()
        }
        if ($desired.ContainsKey('IncludeSql') -and [bool]$desired['IncludeSql'] -ne [bool]$state.IncludesSql) {
            $has = 'does not hold'
            if ($state.IncludesSql) {
                $has = 'holds'
            }
            $differences.Add($this.NewReason('IncludeSql', ('The newest registry export ''{0}'' {1} the Sql subkey; IncludeSql is {2}. {3}' -f $state.LatestBackup, $has, $desired['IncludeSql'], $fix)))
        }
        return $differences.ToArray()
    }

    hidden [void] Modify([hashtable] $desired, [hashtable] $current, [object[]] $differences)
    {
        # The folder that receives the export must exist: Path itself, or the folder of a .reg file.
        $folder = $desired['Path']
        if ($folder -match '\.reg$') {
            $folder = Split-Path -Path $folder -Parent
        }
        if ($folder) {
            $null = Resolve-VmmBackupPath -Path $folder -Create
        }
        $null = $this.InvokeSetCommand($this.GetSetParameters($desired))
    }
}
