function Backup-VmmRegistrySetting {
    $layout = Get-VmmRegistryLayout
    $settingsKey = $layout.SettingsKey
    $sqlKey = $settingsKey + '\' + $layout.SqlSubkey

    # Where to write: a .reg file, or a folder that receives a timestamped file. Never a root directory.
    if ($Path -match '\.reg$') {
        $fullFile = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)
        $folder = Split-Path -Path $fullFile -Parent
        if ([string]::IsNullOrEmpty($folder)) {
            Stop-VmmCommand -Cmdlet $PSCmdlet -Message "The path '$Path' names no folder. Give a .reg file in a folder that is not a root directory, for example D:\VmmBackup\settings.reg." -ErrorId RootPath -Category InvalidArgument -Target $Path -ExceptionType ([System.ArgumentException])
        }
        try {
            $folder = Resolve-VmmBackupPath -Path $folder
        } catch {
            Stop-VmmCommand -Cmdlet $PSCmdlet -Message $_.Exception.Message -ErrorId RootPath -Category InvalidArgument -Target $Path -ExceptionType ([System.ArgumentException])
        }
        $file = Join-Path -Path $folder -ChildPath (Split-Path -Path $fullFile -Leaf)
    } else {
        try {
            $folder = Resolve-VmmBackupPath -Path $Path
        } catch {
            Stop-VmmCommand -Cmdlet $PSCmdlet -Message $_.Exception.Message -ErrorId RootPath -Category InvalidArgument -Target $Path -ExceptionType ([System.ArgumentException])
        }
        if (Test-Path -LiteralPath $folder -PathType Leaf) {
            Stop-VmmCommand -Cmdlet $PSCmdlet -Message "The path '$Path' is an existing file that is not a .reg file. Give a folder or a path ending in .reg." -ErrorId BadPath -Category InvalidArgument -Target $Path -ExceptionType ([System.ArgumentException])
        }
        $file = Join-Path -Path $folder -ChildPath ('VmmSettings_{0}.reg' -f (Get-Date).ToString('yyyyMMdd_HHmmss', [System.Globalization.CultureInfo]::InvariantCulture))
    }

    try {
        $keys = @(Read-VmmRegistryTree -Path $settingsKey)
    } catch {
        Stop-VmmCommand -Cmdlet $PSCmdlet -Message "Cannot read the VMM settings from the registry: $($_.Exception.Message)" -ErrorId RegistryUnreadable -Category ReadError -Target $settingsKey
    }
    if ($keys.Count -eq 0) {
        Stop-VmmCommand -Cmdlet $PSCmdlet -Message "The registry key '$settingsKey' does not exist on this computer. Run Backup-VmmRegistrySetting on the VMM management server." -ErrorId SettingsKeyMissing -Category ObjectNotFound -Target $settingsKey
    }
    if (-not $IncludeSql) {
        $keys = @($keys | Where-Object {
                -not (Test-VmmPathRelation -Path ([string]$_.Path) -Other $sqlKey -Relation AtOrWithin -Registry)
            })
    }
    $valueCount = 0
    $hasSql = $false
    foreach ($key in $keys) {
        $valueCount += @($key.Values).Count
        if (Test-VmmPathRelation -Path ([string]$key.Path) -Other $sqlKey -Relation Equal -Registry) { $hasSql = $true }
    }
    $text = ConvertTo-VmmRegFile -Key $keys

    $what = 'Export {0} keys and {1} values of {2}' -f $keys.Count, $valueCount, $settingsKey
    if ($IncludeSql) { $what += ' including the Sql subkey' } else { $what += ' without the Sql subkey' }
    if (-not $PSCmdlet.ShouldProcess($file, $what)) { return }

    if (-not (Test-Path -LiteralPath $folder -PathType Container)) {
        try {
            $null = New-Item -ItemType Directory -Path $folder -Force -ErrorAction Stop
        } catch {
            Stop-VmmCommand -Cmdlet $PSCmdlet -Message "Cannot create the folder '$folder': $($_.Exception.Message)" -ErrorId BadPath -Category WriteError -Target $folder -ExceptionType ([System.IO.IOException])
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
        Stop-VmmCommand -Cmdlet $PSCmdlet -Message "Cannot write the registry backup '$file': $($_.Exception.Message)" -ErrorId WriteFailed -Category WriteError -Target $file -ExceptionType ([System.IO.IOException])
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
