<#
    The DSC resource VmmDatabaseBackup with its state logic, written by hand. The generator
    (src/emit/dsc-resources.ts, templates/dsc/resource-class.ps1.hbs) adds what the model
    (src/model/dsc/resources.ts) owns: the [DscResource()] attribute, the [DscProperty] declarations,
    Get()/Test()/Set(), Export() where the model asks for it, GetResourceInfo(), GetSetParameters() and the
    comments above the class; it checks this file's shape when it generates.
    PowerShell resolves a base class only within one script, so the class runs from the generated root module
    (VmmBackup.psm1), after VmmReason and VmmResourceBase; alone, it parses with the base type unresolved.
#>
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
