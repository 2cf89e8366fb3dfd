function Invoke-VmmRegistryDrill {
    <#
    .SYNOPSIS
        Parses registry exports as Restore-VmmRegistrySetting reads them and compares the VMM settings they hold
        with the live Settings key (on a VMM server); returns State, Evidence and RtoSeconds.
    .DESCRIPTION
        Passed when every export parses and holds at least one key. Differences with the live key are evidence,
        not failures (a setting may change after the backup): values missing on this server, values only on
        this server, values that differ. The Sql subkey (which names the VMM database) is reported on its own.
        Where the live key cannot be read (not Windows, not a VMM server), the evidence says that nothing was
        compared.
    .PARAMETER File
        The .reg files.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)] [System.IO.FileInfo[]] $File
    )

    $layout = Get-VmmRegistryLayout
    $evidence = New-Object -TypeName System.Collections.Generic.List[string]
    $state = 'Passed'
    $backup = New-Object -TypeName System.Collections.Generic.List[object]
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    foreach ($entry in $File) {
        try {
            $keys = @(Read-VmmRegFile -Path $entry.FullName)
            if ($keys.Count -eq 0) { throw 'it holds no key' }
            $values = 0
            foreach ($key in $keys) { $values += @($key.Values).Count; $backup.Add($key) }
            $evidence.Add(("'{0}' parses: {1} key(s), {2} value(s)." -f $entry.Name, $keys.Count, $values))
        } catch {
            $state = 'Failed'
            $evidence.Add("'$($entry.Name)' cannot be restored: $($_.Exception.Message)")
        }
    }
    $watch.Stop()
    $rto = [math]::Round($watch.Elapsed.TotalSeconds, 3)

    $live = $null
    try {
        $live = @(Read-VmmRegistryTree -Path $layout.SettingsKey)
    } catch {
        $evidence.Add("Not compared with the live settings: $($_.Exception.Message)")
    }
    if ($null -ne $live -and $live.Count -eq 0) {
        $evidence.Add("Not compared with the live settings: this computer has no '$($layout.SettingsKey)' key (it is not the VMM server).")
    } elseif ($null -ne $live -and $state -eq 'Passed') {
        $format = {
            param($Value)
            if ($null -eq $Value.Data) { return $Value.Kind + ':' }
            if ($Value.Data -is [byte[]]) { return $Value.Kind + ':' + [System.BitConverter]::ToString($Value.Data) }
            if ($Value.Data -is [array]) { return $Value.Kind + ':' + (@($Value.Data) -join '|') }
            $Value.Kind + ':' + [string]$Value.Data
        }
        $collect = {
            param($Keys)
            $map = New-Object -TypeName 'System.Collections.Generic.Dictionary[string,string]' -ArgumentList ([System.StringComparer]::OrdinalIgnoreCase)
            foreach ($key in $Keys) {
                if (-not (Test-VmmPathRelation -Path ([string]$key.Path) -Other $layout.SettingsKey -Relation AtOrWithin -Registry)) { continue }
                $relative = ([string]$key.Path).Substring($layout.SettingsKey.Length).TrimStart('\')
                foreach ($value in @($key.Values)) { $map[$relative + '|' + [string]$value.Name] = & $format $value }
            }
            , $map
        }
        $was = & $collect $backup
        $now = & $collect $live
        $sqlPrefix = $layout.SqlSubkey + '|'
        $differences = @{ Settings = New-Object System.Collections.Generic.List[string]; Sql = New-Object System.Collections.Generic.List[string] }
        $describe = { param([string] $Name) $parts = $Name.Split('|'); if ($parts[0]) { '{0}\{1}' -f $parts[0], $parts[1] } else { $parts[1] } }
        foreach ($name in $was.Keys) {
            $group = 'Settings'
            if ($name.StartsWith($sqlPrefix, [System.StringComparison]::OrdinalIgnoreCase)) { $group = 'Sql' }
            if (-not $now.ContainsKey($name)) { $differences[$group].Add("'$(& $describe $name)' is in the backup but not on this server") }
            elseif ($now[$name] -cne $was[$name]) { $differences[$group].Add("'$(& $describe $name)' differs (backup $($was[$name]), now $($now[$name]))") }
        }
        foreach ($name in $now.Keys) {
            $group = 'Settings'
            if ($name.StartsWith($sqlPrefix, [System.StringComparison]::OrdinalIgnoreCase)) { $group = 'Sql' }
            if (-not $was.ContainsKey($name)) { $differences[$group].Add("'$(& $describe $name)' is on this server but not in the backup") }
        }
        if ($differences.Settings.Count -eq 0) {
            $evidence.Add("Settings: the backup matches the live key ($($was.Count) value(s) compared).")
        } else {
            $evidence.Add(('Settings: {0} difference(s) with the live key: {1}' -f $differences.Settings.Count, (($differences.Settings | Select-Object -First 10) -join '; ')))
        }
        if ($differences.Sql.Count -eq 0) {
            $evidence.Add('Sql subkey: the backup names the same database as the live settings.')
        } else {
            $evidence.Add(('Sql subkey: {0} difference(s); do not restore it unless it names the database VMM should use: {1}' -f $differences.Sql.Count, ($differences.Sql -join '; ')))
        }
    }
    [pscustomobject]@{ State = $state; Evidence = $evidence.ToArray(); RtoSeconds = $rto }
}
