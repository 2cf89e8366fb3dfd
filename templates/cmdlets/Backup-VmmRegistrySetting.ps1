function Backup-VmmRegistrySetting {
    $layout = Get-VmmRegistryLayout
    $settingsKey = $layout.SettingsKey
    $sqlKey = $settingsKey + '\' + $layout.SqlSubkey

    # Where to write: a .reg file, or a folder that receives a timestamped file. Never a root directory.
    if ($Path -match '\.reg$') {
        $fullFile = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)
        $folder = Split-Path -Path $fullFile -Parent
        if ([string]::IsNullOrEmpty($folder)) {
            $PSCmdlet.ThrowTerminatingError((New-Object System.Management.Automation.ErrorRecord (New-Object System.ArgumentException "The path '$Path' names no folder. Give a .reg file in a folder that is not a root directory, for example D:\VmmBackup\settings.reg."), 'VmmBackup.RootPath', ([System.Management.Automation.ErrorCategory]::InvalidArgument), $Path))
        }
        try {
            $folder = Resolve-VmmBackupPath -Path $folder
        } catch {
            $PSCmdlet.ThrowTerminatingError((New-Object System.Management.Automation.ErrorRecord (New-Object System.ArgumentException $_.Exception.Message), 'VmmBackup.RootPath', ([System.Management.Automation.ErrorCategory]::InvalidArgument), $Path))
        }
        $file = Join-Path -Path $folder -ChildPath (Split-Path -Path $fullFile -Leaf)
    } else {
        try {
            $folder = Resolve-VmmBackupPath -Path $Path
        } catch {
            $PSCmdlet.ThrowTerminatingError((New-Object System.Management.Automation.ErrorRecord (New-Object System.ArgumentException $_.Exception.Message), 'VmmBackup.RootPath', ([System.Management.Automation.ErrorCategory]::InvalidArgument), $Path))
        }
        if (Test-Path -LiteralPath $folder -PathType Leaf) {
            $PSCmdlet.ThrowTerminatingError((New-Object System.Management.Automation.ErrorRecord (New-Object System.ArgumentException "The path '$Path' is an existing file that is not a .reg file. Give a folder or a path ending in .reg."), 'VmmBackup.BadPath', ([System.Management.Automation.ErrorCategory]::InvalidArgument), $Path))
        }
        $file = Join-Path -Path $folder -ChildPath ('VmmSettings_{0}.reg' -f (Get-Date).ToString('yyyyMMdd_HHmmss', [System.Globalization.CultureInfo]::InvariantCulture))
    }

    try {
        $keys = @(Read-VmmRegistryTree -Path $settingsKey)
    } catch {
        $PSCmdlet.ThrowTerminatingError((New-Object System.Management.Automation.ErrorRecord (New-Object System.InvalidOperationException "Cannot read the VMM settings from the registry: $($_.Exception.Message)"), 'VmmBackup.RegistryUnreadable', ([System.Management.Automation.ErrorCategory]::ReadError), $settingsKey))
    }
    if ($keys.Count -eq 0) {
        $PSCmdlet.ThrowTerminatingError((New-Object System.Management.Automation.ErrorRecord (New-Object System.InvalidOperationException "The registry key '$settingsKey' does not exist on this computer. Run Backup-VmmRegistrySetting on the VMM management server."), 'VmmBackup.SettingsKeyMissing', ([System.Management.Automation.ErrorCategory]::ObjectNotFound), $settingsKey))
    }
    if (-not $IncludeSql) {
        $keys = @($keys | Where-Object {
                -not ([string]::Equals([string]$_.Path, $sqlKey, [System.StringComparison]::OrdinalIgnoreCase) -or
                    ([string]$_.Path).StartsWith($sqlKey + '\', [System.StringComparison]::OrdinalIgnoreCase))
            })
    }
    $valueCount = 0
    $hasSql = $false
    foreach ($key in $keys) {
        $valueCount += @($key.Values).Count
        if ([string]::Equals([string]$key.Path, $sqlKey, [System.StringComparison]::OrdinalIgnoreCase)) { $hasSql = $true }
    }
    $text = ConvertTo-VmmRegFile -Key $keys

    $what = 'Export {0} keys and {1} values of {2}' -f $keys.Count, $valueCount, $settingsKey
    if ($IncludeSql) { $what += ' including the Sql subkey' } else { $what += ' without the Sql subkey' }
    if (-not $PSCmdlet.ShouldProcess($file, $what)) { return }

    if (-not (Test-Path -LiteralPath $folder -PathType Container)) {
        try {
            $null = New-Item -ItemType Directory -Path $folder -Force -ErrorAction Stop
        } catch {
            $PSCmdlet.ThrowTerminatingError((New-Object System.Management.Automation.ErrorRecord (New-Object System.IO.IOException "Cannot create the folder '$folder': $($_.Exception.Message)"), 'VmmBackup.BadPath', ([System.Management.Automation.ErrorCategory]::WriteError), $folder))
        }
    }
    # A new temporary file (never an existing one, which could be a link leading elsewhere), renamed over the
    # target: a link already at the target is replaced, never followed.
    $temporary = $file + '.' + [guid]::NewGuid().ToString('N') + '.tmp'
    try {
        $encoding = New-Object System.Text.UnicodeEncoding($false, $true)
        $bytes = [byte[]]($encoding.GetPreamble() + $encoding.GetBytes($text))
        $stream = New-Object System.IO.FileStream($temporary, [System.IO.FileMode]::CreateNew, [System.IO.FileAccess]::Write, [System.IO.FileShare]::None)
        try { $stream.Write($bytes, 0, $bytes.Length) } finally { $stream.Dispose() }
        Move-VmmFileAtomic -Path $temporary -Destination $file
    } catch {
        Remove-Item -LiteralPath $temporary -Force -ErrorAction SilentlyContinue
        $PSCmdlet.ThrowTerminatingError((New-Object System.Management.Automation.ErrorRecord (New-Object System.IO.IOException "Cannot write the registry backup '$file': $($_.Exception.Message)"), 'VmmBackup.WriteFailed', ([System.Management.Automation.ErrorCategory]::WriteError), $file))
    }

    [pscustomobject][ordered]@{
        PSTypeName  = 'VmmBackup.RegistryBackup'
        Path        = $file
        KeyCount    = $keys.Count
        ValueCount  = $valueCount
        IncludesSql = $hasSql
        Sha256      = (Get-FileHash -LiteralPath $file -Algorithm SHA256).Hash.ToLowerInvariant()
        CreatedAt   = Get-Date
    }
}
