    hidden [hashtable] GetCurrentState([hashtable] $desired)
    {
        $state = Get-VmmDscLibraryBackup -Destination $desired['Destination']
        $age = $null
        if ($state.Verified) {
            $age = $this.ToWholeHours($state.AgeHours)
        }
        return @{
            Destination      = $desired['Destination']
            Path             = $state.Shares
            MaxAgeHours      = $age
            LatestBackup     = $state.LatestBackup
            LatestBackupTime = $state.LatestBackupTime
            Verified         = $state.Verified
            _State           = $state
        }
    }

    hidden [object[]] CompareState([hashtable] $current, [hashtable] $desired)
    {
        $state = $current['_State']
        $differences = $this.CompareBackupState($state, $desired, 'Destination', 'A complete backup set of the library shares is required.', 'The newest library backup set is not intact', 'The newest library backup set')
        if (-not $state.Verified) {
            return $differences.ToArray()
        }
        if ($desired.ContainsKey('Path')) {
            $covered = @(foreach ($share in @($state.Shares)) { ([string]$share).TrimEnd('\', '/') })
            $missing = @(foreach ($share in @($desired['Path'])) {
                    if ($covered -notcontains ([string]$share).TrimEnd('\', '/')) {
                        $share
                    }
                })
            if ($missing.Count -gt 0) {
                $differences.Add($this.NewReason('Path', ('The newest library backup set ''{0}'' does not cover {1}; it covers {2}.' -f $state.LatestBackup, (Format-VmmDscValue -Value $missing), (Format-VmmDscValue -Value $covered))))
            }
        }
        return $differences.ToArray()
    }

    hidden [void] Modify([hashtable] $desired, [hashtable] $current, [object[]] $differences)
    {
        $null = $this.InvokeSetCommand($this.GetSetParameters($desired))
    }
