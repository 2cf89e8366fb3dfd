function Get-VmmLastDrill {
    <#
    .SYNOPSIS
        The last restore drill of each item recorded beside a backup path, and when each item last passed one.
    .DESCRIPTION
        Reads the records Invoke-VmmRestoreDrill writes (drills\drill-*.json) in Path and in its parent folder
        (a set's records are kept in its destination). Returns one object per item drilled: Item, State (of the
        last drill of that item), Time (when that drill ended, UTC), LastPassed (when a drill of the item last
        passed, UTC, or $null), Evidence (its first finding) and Record (the file). Unreadable records are
        skipped with a warning. Returns nothing when no drill was recorded.
    .PARAMETER Path
        A backup destination, a backup set folder, or a folder of backups.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [string] $Path
    )

    $full = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path).TrimEnd('\', '/')
    $folders = New-Object -TypeName System.Collections.Generic.List[string]
    $folders.Add([System.IO.Path]::Combine($full, 'drills'))
    $parent = [System.IO.Path]::GetDirectoryName($full)
    if (-not [string]::IsNullOrEmpty($parent)) { $folders.Add([System.IO.Path]::Combine($parent, 'drills')) }
    $files = New-Object -TypeName System.Collections.Generic.List[System.IO.FileInfo]
    foreach ($folder in $folders) {
        if ([System.IO.Directory]::Exists($folder)) {
            foreach ($file in (New-Object -TypeName System.IO.DirectoryInfo -ArgumentList $folder).GetFiles('drill-*.json')) { $files.Add($file) }
        }
    }
    if ($files.Count -eq 0) { return }
    $toUtc = { param($Value) if ($null -eq $Value -or [string]$Value -eq '') { $null } elseif ($Value -is [datetime]) { $Value.ToUniversalTime() } else { [datetime]::Parse([string]$Value, [System.Globalization.CultureInfo]::InvariantCulture, [System.Globalization.DateTimeStyles]::RoundtripKind).ToUniversalTime() } }
    $last = @{}
    $passed = @{}
    $order = New-Object -TypeName System.Collections.Generic.List[string]
    foreach ($file in $files) {
        try {
            $record = [System.IO.File]::ReadAllText($file.FullName, [System.Text.Encoding]::UTF8) | ConvertFrom-Json -ErrorAction Stop
            if ($null -eq $record -or $record.Format -ne 'VmmBackup.DrillRecord') { throw 'it is not a drill record' }
            $ended = & $toUtc $record.EndTime
        } catch {
            Write-Warning "The drill record '$($file.FullName)' cannot be read: $($_.Exception.Message)"
            continue
        }
        foreach ($result in @($record.Results)) {
            $item = [string]$result.Item
            if (-not $order.Contains($item)) { $order.Add($item) }
            $time = & $toUtc $result.EndTime
            if ($null -eq $time) { $time = $ended }
            if (-not $last.ContainsKey($item) -or $time -gt $last[$item].Time) {
                $first = $null
                if (@($result.Evidence).Count -gt 0) { $first = [string]@($result.Evidence)[0] }
                $last[$item] = @{ State = [string]$result.State; Time = $time; Evidence = $first; Record = $file.FullName }
            }
            if ([string]$result.State -eq 'Passed' -and (-not $passed.ContainsKey($item) -or $time -gt $passed[$item])) { $passed[$item] = $time }
        }
    }
    foreach ($item in $order) {
        $lastPassed = $null
        if ($passed.ContainsKey($item)) { $lastPassed = $passed[$item] }
        [pscustomobject]@{
            Item       = $item
            State      = $last[$item].State
            Time       = $last[$item].Time
            LastPassed = $lastPassed
            Evidence   = $last[$item].Evidence
            Record     = $last[$item].Record
        }
    }
}
