function Restore-VmmRegistrySetting {
    $layout = Get-VmmRegistryLayout
    $settingsKey = $layout.SettingsKey
    $sqlKey = $settingsKey + '\' + $layout.SqlSubkey

    $file = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)
    if (-not (Test-Path -LiteralPath $file -PathType Leaf)) {
        $PSCmdlet.ThrowTerminatingError((New-Object System.Management.Automation.ErrorRecord (New-Object System.IO.FileNotFoundException "The registry backup '$Path' does not exist or is not a file. Give the .reg file Backup-VmmRegistrySetting wrote."), 'VmmBackup.BadPath', ([System.Management.Automation.ErrorCategory]::ObjectNotFound), $Path))
    }
    try {
        $keys = @(Read-VmmRegFile -Path $file)
    } catch {
        $PSCmdlet.ThrowTerminatingError((New-Object System.Management.Automation.ErrorRecord (New-Object System.IO.InvalidDataException "Cannot read the registry backup '$Path': $($_.Exception.Message)"), 'VmmBackup.BadRegFile', ([System.Management.Automation.ErrorCategory]::InvalidData), $Path))
    }

    # Every key must be the VMM settings key or below it: nothing else is imported.
    $settingsKeys = New-Object System.Collections.Generic.List[object]
    $sqlKeys = New-Object System.Collections.Generic.List[object]
    foreach ($key in $keys) {
        $keyPath = [regex]::Replace([string]$key.Path, '^HKLM\\', 'HKEY_LOCAL_MACHINE\', 'IgnoreCase')
        $record = [pscustomobject]@{ Path = $keyPath; Values = @($key.Values) }
        if ([string]::Equals($keyPath, $sqlKey, [System.StringComparison]::OrdinalIgnoreCase) -or $keyPath.StartsWith($sqlKey + '\', [System.StringComparison]::OrdinalIgnoreCase)) {
            $sqlKeys.Add($record)
        } elseif ([string]::Equals($keyPath, $settingsKey, [System.StringComparison]::OrdinalIgnoreCase) -or $keyPath.StartsWith($settingsKey + '\', [System.StringComparison]::OrdinalIgnoreCase)) {
            $settingsKeys.Add($record)
        } else {
            $PSCmdlet.ThrowTerminatingError((New-Object System.Management.Automation.ErrorRecord (New-Object System.IO.InvalidDataException "The file '$Path' holds the key '$keyPath', which is not under $settingsKey. Nothing was imported: this cmdlet restores VMM settings only."), 'VmmBackup.ForeignKey', ([System.Management.Automation.ErrorCategory]::InvalidData), $Path))
        }
    }
    if ($settingsKeys.Count + $sqlKeys.Count -eq 0) {
        $PSCmdlet.ThrowTerminatingError((New-Object System.Management.Automation.ErrorRecord (New-Object System.IO.InvalidDataException "The file '$Path' holds no VMM settings keys. Nothing was imported."), 'VmmBackup.BadRegFile', ([System.Management.Automation.ErrorCategory]::InvalidData), $Path))
    }

    # The Sql subkey goes back only when it names the database VMM should use now.
    $sqlSubkey = 'Absent'
    $differences = New-Object System.Collections.Generic.List[string]
    if ($sqlKeys.Count -gt 0) {
        $backup = @{}
        foreach ($record in $sqlKeys) {
            if ([string]::Equals($record.Path, $sqlKey, [System.StringComparison]::OrdinalIgnoreCase)) {
                foreach ($value in $record.Values) { $backup[[string]$value.Name] = [string]$value.Data }
            }
        }
        $current = Get-VmmSqlSetting
        $wanted = @{}
        if ($null -ne $current) {
            $wanted[$layout.SqlServerValue] = $current.MachineName
            $wanted[$layout.SqlInstanceValue] = $current.InstanceName
            $wanted[$layout.SqlDatabaseValue] = $current.Database
        }
        if ($PSBoundParameters.ContainsKey('SqlServer')) {
            $serverPart = ($SqlServer -split ',')[0]
            $parts = $serverPart -split '\\', 2
            $wanted[$layout.SqlServerValue] = $parts[0]
            if ($parts.Count -gt 1) { $wanted[$layout.SqlInstanceValue] = $parts[1] } else { $wanted[$layout.SqlInstanceValue] = 'MSSQLSERVER' }
        }
        if ($PSBoundParameters.ContainsKey('Database')) { $wanted[$layout.SqlDatabaseValue] = $Database }

        foreach ($name in @($layout.SqlServerValue, $layout.SqlInstanceValue, $layout.SqlDatabaseValue)) {
            $have = [string]$backup[$name]
            $want = $wanted[$name]
            if ($name -eq $layout.SqlInstanceValue) {
                # The default instance may be recorded as MSSQLSERVER or left empty.
                if ($have -eq '') { $have = 'MSSQLSERVER' }
                if ($null -ne $want -and [string]$want -eq '') { $want = 'MSSQLSERVER' }
            }
            if ($null -eq $want) {
                $differences.Add(("{0}: '{1}' vs unknown (give -SqlServer and -Database to compare)" -f $name, $have))
            } elseif (-not [string]::Equals($have, [string]$want, [System.StringComparison]::OrdinalIgnoreCase)) {
                $differences.Add(("{0}: '{1}' vs '{2}'" -f $name, $have, $want))
            }
        }
        if ($differences.Count -eq 0) {
            $sqlSubkey = 'Imported'
            foreach ($record in $sqlKeys) { $settingsKeys.Add($record) }
        } else {
            $sqlSubkey = 'Skipped'
            Write-Warning ("The Sql subkey of '{0}' is not imported: it does not name the database VMM should use now ({1})." -f $Path, ($differences -join '; '))
        }
    }

    $imported = 0
    foreach ($record in $settingsKeys) {
        $action = 'Import {0} values from {1}' -f @($record.Values).Count, $file
        if ($PSCmdlet.ShouldProcess($record.Path, $action)) {
            try {
                Write-VmmRegistryKey -Path $record.Path -Value @($record.Values)
            } catch {
                $PSCmdlet.ThrowTerminatingError((New-Object System.Management.Automation.ErrorRecord (New-Object System.InvalidOperationException "Cannot write the registry key '$($record.Path)' ($imported keys imported before it): $($_.Exception.Message)"), 'VmmBackup.RegistryWriteFailed', ([System.Management.Automation.ErrorCategory]::WriteError), $record.Path))
            }
            $imported++
        } elseif ($sqlSubkey -eq 'Imported' -and [string]::Equals($record.Path, $sqlKey, [System.StringComparison]::OrdinalIgnoreCase)) {
            $sqlSubkey = 'Skipped'
        }
    }
    if ($WhatIfPreference) { return }

    [pscustomobject][ordered]@{
        PSTypeName   = 'VmmBackup.RegistryRestore'
        Path         = $file
        KeysImported = $imported
        SqlSubkey    = $sqlSubkey
        Differences  = [string[]]$differences.ToArray()
    }
}
