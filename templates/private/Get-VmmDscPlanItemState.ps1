function Get-VmmDscPlanItemState {
    <#
    .SYNOPSIS
        The state of each backup item of the plan under an Invoke-VmmBackup destination, from evidence checked
        now, for the DSC resource VmmBackupPlan.
    .DESCRIPTION
        Reads the layout Invoke-VmmBackup writes: <Destination>\<yyyyMMdd_HHmmss>\ (database, registry, inventory,
        vmconfig, backup-set.json) and <Destination>\library. For each item the newest committed run whose
        backup-set.json (format and digest checked) records the item as Succeeded is taken, and its files are
        checked now:
          backup.database          the newest .bak with its verification record (Test-VmmDscDatabaseFile: TAPE
                                   header, record naming the file with its exact size and SHA-256);
          backup.registry          the newest .reg parsed as a registry export of the settings key;
          backup.inventory         every .json listed in backup-set.json with its size and SHA-256, and parsed;
          backup.vm-configuration  every file of vmconfig listed in backup-set.json with its size and SHA-256;
          backup.library           the newest complete library set, every file against its SHA-256;
          backup.system-state      the run recorded wbadmin's success to SystemStateTarget with a version
                                   identifier (the wbadmin catalog itself is not read).
        Returns a hashtable: procedure id -> object with Found, Verified, LatestBackup, LatestBackupTime (UTC),
        AgeHours and Detail (what is wrong and how to fix it).
    .PARAMETER Destination
        The destination of Invoke-VmmBackup.
    .PARAMETER Procedure
        The procedure ids to report.
    .PARAMETER SettingsKey
        The VMM settings registry key a registry export must hold.
    .PARAMETER SqlSubkey
        Name of its Sql subkey.
    .PARAMETER SystemStateTarget
        The target the system state backup must have gone to.
    .EXAMPLE
        Get-VmmDscPlanItemState -Destination D:\VmmBackup -Procedure backup.database -SettingsKey $key -SqlSubkey Sql
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param(
        [Parameter(Mandatory = $true)]
        [string] $Destination,

        [Parameter(Mandatory = $true)]
        [string[]] $Procedure,

        [Parameter(Mandatory = $true)]
        [string] $SettingsKey,

        [Parameter(Mandatory = $true)]
        [string] $SqlSubkey,

        [string] $SystemStateTarget
    )

    $fix = "Set() runs Invoke-VmmBackup -Destination '$Destination' for it."

    # The committed runs, newest first, with their manifests (a damaged manifest is noted, its run not used).
    $runs = New-Object -TypeName System.Collections.Generic.List[object]
    $notes = New-Object -TypeName System.Collections.Generic.List[string]
    if ([System.IO.Directory]::Exists($Destination)) {
        $folders = @([System.IO.Directory]::GetDirectories($Destination) | Where-Object { [System.IO.Path]::GetFileName($_) -match '^\d{8}_\d{6}(_\d+)?$' })
        [System.Array]::Sort([System.Array]$folders, [System.Collections.IComparer][System.StringComparer]::Ordinal)
        [System.Array]::Reverse([System.Array]$folders)
        foreach ($folder in $folders) {
            $manifestPath = [System.IO.Path]::Combine($folder, 'backup-set.json')
            if (-not [System.IO.File]::Exists($manifestPath)) {
                continue
            }
            try {
                $runs.Add([pscustomobject]@{ Path = $folder; Manifest = (Read-VmmBackupSetManifest -Path $manifestPath) })
            } catch {
                $notes.Add($_.Exception.Message)
            }
        }
    }

    # The files of a run's item folder, each checked against its size and SHA-256 in backup-set.json.
    $checkListedFiles = {
        param($Run, [string] $Folder, [string] $Extension, [bool] $ParseJson)
        $problems = New-Object -TypeName System.Collections.Generic.List[string]
        $count = 0
        $listed = @{}
        foreach ($entry in $Run.Manifest.Files) {
            if (Test-VmmPathRelation -Path $entry.Path -Other $Folder -Relation Within) { $listed[$entry.Path] = $entry }
        }
        $root = [System.IO.Path]::Combine($Run.Path, $Folder)
        $seen = @{}
        if ([System.IO.Directory]::Exists($root)) {
            foreach ($file in (New-Object -TypeName System.IO.DirectoryInfo -ArgumentList $root).GetFiles('*', [System.IO.SearchOption]::AllDirectories)) {
                if ($Extension -and $file.Extension -ne $Extension) { continue }
                $relative = $Folder + '/' + $file.FullName.Substring($root.Length).TrimStart('\', '/').Replace('\', '/')
                $seen[$relative] = $true
                $count++
                $entry = $listed[$relative]
                if ($null -eq $entry) {
                    $problems.Add("'$relative' is not listed in backup-set.json")
                } elseif ($entry.Length -ne $file.Length -or (Get-VmmFileHash -Path $file.FullName) -ne $entry.Sha256) {
                    $problems.Add("'$relative' does not match its size and SHA-256 in backup-set.json")
                } elseif ($ParseJson) {
                    try {
                        $parsed = [System.IO.File]::ReadAllText($file.FullName, [System.Text.Encoding]::UTF8) | ConvertFrom-Json -ErrorAction Stop
                        if ($null -eq $parsed) { throw 'empty' }
                    } catch {
                        $problems.Add("'$relative' is not valid JSON")
                    }
                }
            }
        }
        foreach ($path in $listed.Keys) {
            if (-not $seen.ContainsKey($path) -and (-not $Extension -or $path.EndsWith($Extension))) { $problems.Add("'$path' is listed in backup-set.json but missing") }
        }
        [pscustomobject]@{ Count = $count; Problems = $problems.ToArray() }
    }

    $result = @{}
    foreach ($id in $Procedure) {
        $state = New-VmmDscState
        if ($id -eq 'backup.library') {
            $library = Get-VmmDscLibraryBackup -Destination ([System.IO.Path]::Combine($Destination, 'library'))
            foreach ($name in 'Found', 'Verified', 'LatestBackup', 'LatestBackupTime', 'AgeHours', 'Detail') { $state.$name = $library.$name }
            if (-not $state.Verified) { $state.Detail = '{0} {1}' -f $state.Detail, $fix }
            $result[$id] = $state
            continue
        }

        # The newest run that recorded the item as Succeeded; a newer failure is mentioned.
        $run = $null
        $newer = $null
        foreach ($candidate in $runs) {
            $recorded = @($candidate.Manifest.Items | Where-Object { [string]$_.Id -eq $id }) | Select-Object -First 1
            if ($null -eq $recorded) { continue }
            if ([string]$recorded.State -eq 'Succeeded') {
                if ($id -eq 'backup.system-state' -and -not ([string]$recorded.Output).StartsWith($SystemStateTarget + ' (version ', [System.StringComparison]::OrdinalIgnoreCase)) {
                    if ($null -eq $newer) { $newer = "the run '$($candidate.Path)' recorded a system state backup to '$($recorded.Output)', not to '$SystemStateTarget' with a wbadmin version" }
                    continue
                }
                $run = [pscustomobject]@{ Path = $candidate.Path; Manifest = $candidate.Manifest; Item = $recorded }
                break
            }
            if ($null -eq $newer -and [string]$recorded.State -eq 'Failed') {
                $newer = "the run '$($candidate.Path)' recorded it as Failed: $($recorded.Message)"
            }
        }
        if ($null -eq $run) {
            $detail = "No committed run of Invoke-VmmBackup under '$Destination' (a <yyyyMMdd_HHmmss> folder with backup-set.json) recorded $id as Succeeded."
            if ($null -ne $newer) { $detail += " Newest: $newer." }
            if ($notes.Count -gt 0) { $detail += ' ' + ($notes -join ' ') }
            $state.Detail = '{0} {1}' -f $detail, $fix
            $result[$id] = $state
            continue
        }

        $runTime = $run.Manifest.EndTime
        $problem = $null
        switch ($id) {
            'backup.database' {
                $database = Get-VmmDscDatabaseBackup -Path ([System.IO.Path]::Combine($run.Path, 'database'))
                $state.LatestBackup = $database.LatestBackup
                $state.LatestBackupTime = $database.LatestBackupTime
                if (-not $database.Found) { $problem = "Missing: the run '$($run.Path)' recorded the database backup as Succeeded, but: $($database.Detail)" }
                elseif (-not $database.Verified) { $problem = $database.Detail }
            }
            'backup.registry' {
                $registry = Get-VmmDscRegistryBackup -Path ([System.IO.Path]::Combine($run.Path, 'registry')) -SettingsKey $SettingsKey -SqlSubkey $SqlSubkey
                $state.LatestBackup = $registry.LatestBackup
                $state.LatestBackupTime = $registry.LatestBackupTime
                if (-not $registry.Found) { $problem = "Missing: the run '$($run.Path)' recorded the registry export as Succeeded, but: $($registry.Detail)" }
                elseif (-not $registry.Verified) { $problem = "Corrupt: $($registry.Detail)" }
            }
            'backup.inventory' {
                $check = & $checkListedFiles $run 'inventory' '.json' $true
                $state.LatestBackup = [System.IO.Path]::Combine($run.Path, 'inventory')
                $state.LatestBackupTime = $runTime
                if ($check.Count -eq 0 -and $check.Problems.Count -eq 0) { $problem = "Missing: the run '$($run.Path)' holds no inventory snapshot (.json)." }
                elseif ($check.Problems.Count -gt 0) { $problem = 'Corrupt: ' + (($check.Problems | Select-Object -First 5) -join '; ') + '.' }
            }
            'backup.vm-configuration' {
                $check = & $checkListedFiles $run 'vmconfig' $null $false
                $state.LatestBackup = [System.IO.Path]::Combine($run.Path, 'vmconfig')
                $state.LatestBackupTime = $runTime
                if ($check.Count -eq 0 -and $check.Problems.Count -eq 0) { $problem = "Missing: the run '$($run.Path)' holds no virtual machine configuration file (when VMM manages no virtual machine, add backup.vm-configuration to Skip)." }
                elseif ($check.Problems.Count -gt 0) { $problem = 'Corrupt: ' + (($check.Problems | Select-Object -First 5) -join '; ') + '.' }
            }
            'backup.system-state' {
                $state.LatestBackup = [string]$run.Item.Output
                $state.LatestBackupTime = $runTime
            }
            default {
                throw "VmmBackupPlan: no check is known for $id."
            }
        }
        $state.Found = $true
        $state.Verified = ($null -eq $problem)
        if ($null -ne $state.LatestBackupTime) {
            $state.AgeHours = ([datetime]::UtcNow - ([datetime]$state.LatestBackupTime).ToUniversalTime()).TotalHours
        }
        if ($null -ne $problem) {
            $state.Detail = '{0} {1}' -f $problem, $fix
        } else {
            $state.Detail = "Checked in the run '$($run.Path)'."
        }
        $result[$id] = $state
    }
    $result
}
