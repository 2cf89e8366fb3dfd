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
            MaxAgeHours      = $age
            Database         = $state.Database
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
            return @($this.NewReason('Path', ('{0} A verified backup of the VMM database is required.' -f $state.Detail)))
        }
        if (-not $state.Verified) {
            return @($this.NewReason('Verified', ('The newest database backup is not verified: {0}' -f $state.Detail)))
        }
        if ($desired.ContainsKey('MaxAgeHours') -and $state.AgeHours -gt $desired['MaxAgeHours']) {
            return @($this.NewReason('MaxAgeHours', ('The newest verified database backup ''{0}'' is {1:N1} hours old; MaxAgeHours is {2}.' -f $state.LatestBackup, $state.AgeHours, $desired['MaxAgeHours'])))
        }
        return @()
    }

    hidden [void] Modify([hashtable] $desired, [hashtable] $current, [object[]] $differences)
    {
        $null = Resolve-VmmBackupPath -Path $desired['Path'] -Create
        $null = $this.InvokeSetCommand($this.GetSetParameters($desired))
    }
