# VmmLibraryBackup: the hand-written state logic; the generator adds what the model owns (see templates/dsc/README.md).
class VmmLibraryBackup : VmmResourceBase
{
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
            AgeHours         = $age
            LatestBackup     = $state.LatestBackup
            LatestBackupTime = $state.LatestBackupTime
            Verified         = $state.Verified
            _State           = $state
        }
    }

    hidden [object[]] CompareState([hashtable] $current, [hashtable] $desired)
    {
        $state = $current['_State']
        $fix = 'Set() runs Backup-VmmLibraryShare -Destination ''{0}''.' -f $desired['Destination']
        $differences = $this.CompareBackupState($state, $desired, 'Destination', 'A complete backup set of the library shares is required.', 'The newest library backup set is not intact', 'The newest library backup set', $fix)
        if (-not $state.Verified) {
            return $differences.ToArray()
        }
        if ($desired.ContainsKey('Path')) {
            $covered = @(foreach ($share in @($state.Shares)) { ([string]$share).TrimEnd('\', '/') })
            $missing = @(foreach ($share in @($desired['Path'])) {
                    $isCovered = $false
                    foreach ($backedUp in @($state.Shares)) {
                        if (Test-VmmPathRelation -Path ([string]$share) -Other ([string]$backedUp) -Relation Equal) { $isCovered = $true }
                    }
                    if (-not $isCovered) {
                        $share
                    }
                })
            if ($missing.Count -gt 0) {
                $differences.Add($this.NewReason('Path', ('The newest library backup set ''{0}'' does not cover {1}; it covers {2}. {3}' -f $state.LatestBackup, (Format-VmmDscValue -Value $missing), (Format-VmmDscValue -Value $covered), $fix)))
            }
        }
        return $differences.ToArray()
    }

    hidden [void] Modify([hashtable] $desired, [hashtable] $current, [object[]] $differences)
    {
        $null = $this.InvokeSetCommand($this.GetSetParameters($desired))
    }

    # Export: one instance per library share VMM lists. With Destination in the filter, each share's instance
    # has its own destination below it (<Destination>\<server>_<share>) and reports its actual state there;
    # without, Destination is left empty for the configuration to fill in.
    hidden [object[]] ExportInstances([object] $filter)
    {
        $server = 'localhost'
        $root = $null
        if ($null -ne $filter) {
            if (-not [string]::IsNullOrEmpty($filter.VMMServer)) {
                $server = $filter.VMMServer
            }
            if (-not [string]::IsNullOrEmpty($filter.Destination)) {
                $root = $filter.Destination
            }
        }
        try {
            $connection = Get-VmmServerConnection -VMMServer $server
            $shares = @(Get-SCLibraryShare -VMMServer $connection -ErrorAction Stop | Where-Object { $null -ne $_ -and -not [string]::IsNullOrWhiteSpace([string]$_.Path) })
        } catch {
            throw ('{0}: Export() cannot list the library shares: {1}' -f $this.GetType().Name, $_.Exception.Message)
        }
        $type = $this.GetType()
        $instances = New-Object -TypeName System.Collections.Generic.List[object]
        foreach ($share in $shares) {
            $instance = $type::new()
            $instance.Path = [string[]]@([string]$share.Path)
            if ($server -ne 'localhost') {
                $instance.VMMServer = $server
            }
            if ($null -ne $root) {
                $name = [regex]::Replace(([string]$share.Path).Trim('\', '/'), '[\\/:*?"<>|]+', '_')
                $instance.Destination = [System.IO.Path]::Combine($root, $name)
                $instance = $instance.Get()
                if ($null -eq $instance.Path) {
                    # No backup there yet: the instance still names its share.
                    $instance.Path = [string[]]@([string]$share.Path)
                }
            }
            $instances.Add($instance)
        }
        return $instances.ToArray()
    }
}
