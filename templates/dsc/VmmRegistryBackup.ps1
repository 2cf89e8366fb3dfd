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
            MaxAgeHours      = $age
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
        if (-not $state.Found) {
            return @($this.NewReason('Path', ('{0} An export of the VMM settings registry key is required.' -f $state.Detail)))
        }
        if (-not $state.Verified) {
            return @($this.NewReason('Verified', ('The newest registry export is not sound: {0}' -f $state.Detail)))
        }
        $differences = New-Object -TypeName System.Collections.Generic.List[object]
        if ($desired.ContainsKey('MaxAgeHours') -and $state.AgeHours -gt $desired['MaxAgeHours']) {
            $differences.Add($this.NewReason('MaxAgeHours', ('The newest registry export ''{0}'' is {1:N1} hours old; MaxAgeHours is {2}.' -f $state.LatestBackup, $state.AgeHours, $desired['MaxAgeHours'])))
        }
        if ($desired.ContainsKey('IncludeSql') -and [bool]$desired['IncludeSql'] -ne [bool]$state.IncludesSql) {
            $has = 'does not hold'
            if ($state.IncludesSql) {
                $has = 'holds'
            }
            $differences.Add($this.NewReason('IncludeSql', ('The newest registry export ''{0}'' {1} the Sql subkey; IncludeSql is {2}.' -f $state.LatestBackup, $has, $desired['IncludeSql'])))
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
