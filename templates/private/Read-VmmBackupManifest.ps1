function Read-VmmBackupManifest {
    <#
    .SYNOPSIS
        Reads and checks a library backup manifest (manifest.json of a Backup-VmmLibraryShare set): format,
        every entry, and the digest over shares, files and failures. Throws VmmBackup.CorruptManifest when any
        of it is wrong, so a damaged set is never used.
    .DESCRIPTION
        Version 2 (written now): the digest covers every field (times, counts, extensions, failures with their
        reasons, files), and a start after the end is refused. Version 1 (written by earlier releases) is still
        read: its digest covers shares, files and failures but not its times, which the result says with
        Version = 1 so that callers can report it.
    .PARAMETER Path
        The manifest.json file.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory = $true)]
        [string] $Path
    )

    $fail = {
        param([string] $Why)
        $exception = New-Object -TypeName System.IO.InvalidDataException -ArgumentList ("The backup manifest '$Path' is corrupt: $Why. Do not restore from this set; use an older set or run Backup-VmmLibraryShare again.")
        $record = New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $exception, 'VmmBackup.CorruptManifest', ([System.Management.Automation.ErrorCategory]::InvalidData), $Path
        $PSCmdlet.ThrowTerminatingError($record)
    }
    if (-not [System.IO.File]::Exists($Path)) {
        & $fail 'the file does not exist'
    }
    try {
        $text = [System.IO.File]::ReadAllText($Path, [System.Text.Encoding]::UTF8)
        $manifest = $text | ConvertFrom-Json -ErrorAction Stop
    } catch {
        & $fail "it is not valid JSON ($($_.Exception.Message))"
    }
    if ($null -eq $manifest -or $manifest -is [array] -or $null -eq $manifest.PSObject.Properties['Format'] -or $manifest.Format -ne 'VmmBackup.LibraryManifest') {
        & $fail 'it is not a VmmBackup library manifest'
    }
    # The store format: absent before it was recorded (format 1); a higher one was written by a newer module.
    $supported = [int](Get-VmmLibraryStoreFormat).FormatVersion
    if ($null -ne $manifest.PSObject.Properties['formatVersion']) {
        $formatVersion = 0
        if (-not [int]::TryParse([string]$manifest.formatVersion, [ref]$formatVersion) -or $formatVersion -lt 1) { & $fail "its formatVersion '$($manifest.formatVersion)' is not a positive integer" }
        if ($formatVersion -gt $supported) {
            $exception = New-Object -TypeName System.NotSupportedException -ArgumentList ("The backup manifest '$Path' is in store format $formatVersion, written by a newer VmmBackup module; this module reads formats up to $supported. Update the VmmBackup module to read, restore or extend this backup; the set was not changed.")
            $record = New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $exception, 'VmmBackup.NewerStoreFormat', ([System.Management.Automation.ErrorCategory]::NotImplemented), $Path
            $PSCmdlet.ThrowTerminatingError($record)
        }
    }
    foreach ($name in 'Version', 'SetName', 'StartTime', 'EndTime', 'Shares', 'Extensions', 'FileCount', 'TotalBytes', 'Digest', 'Failed', 'Files') {
        if ($null -eq $manifest.PSObject.Properties[$name]) { & $fail "the field $name is missing" }
    }
    $version = 0
    if (-not [int]::TryParse([string]$manifest.Version, [ref]$version) -or ($version -ne 1 -and $version -ne 2)) { & $fail "version $($manifest.Version) is not supported" }
    try {
        $startTime = ConvertTo-VmmUtcTime -Value $manifest.StartTime -ErrorAction Stop
        $endTime = ConvertTo-VmmUtcTime -Value $manifest.EndTime -ErrorAction Stop
    } catch {
        & $fail 'StartTime or EndTime is not a date'
    }
    if ($version -ge 2 -and $startTime -gt $endTime) { & $fail "it starts ($($startTime.ToString('u'))) after it ends ($($endTime.ToString('u')))" }
    $shares = [string[]]@($manifest.Shares)
    $files = @($manifest.Files)
    $failed = @($manifest.Failed)
    if ($files.Count -ne [int]$manifest.FileCount) { & $fail "it lists $($files.Count) files but FileCount says $($manifest.FileCount)" }
    $total = [long]0
    $hexPattern = New-Object -TypeName System.Text.RegularExpressions.Regex -ArgumentList '^[0-9a-f]{64}$'
    $unsafePattern = New-Object -TypeName System.Text.RegularExpressions.Regex -ArgumentList '(^|/)\.{1,2}(/|$)|^/|//|/$|^$|^[A-Za-z]:|\x00'
    $shareCount = $shares.Count
    try {
        foreach ($file in $files) {
            # Property reads, not PSObject.Properties lookups: this loop runs once per file of the library.
            $hash = $file.Sha256
            $relative = $file.Path
            if ($hash -isnot [string] -or $relative -isnot [string] -or $null -eq $file.Length -or $null -eq $file.Share -or $null -eq $file.Modified) {
                & $fail 'a file entry lacks Share, Path, Length, Modified or Sha256'
            }
            if (-not $hexPattern.IsMatch($hash)) { & $fail "the hash of '$relative' is not a SHA-256" }
            if ($unsafePattern.IsMatch($relative)) { & $fail "the path '$relative' is not a safe relative path" }
            $length = [long]$file.Length
            if ($length -lt 0) { & $fail "the length of '$relative' is negative" }
            $share = [int]$file.Share
            if ($share -lt 0 -or $share -ge $shareCount) { & $fail "the share index of '$relative' is out of range" }
            $total += $length
        }
    } catch [System.Management.Automation.RuntimeException] {
        if ($_.FullyQualifiedErrorId -like 'VmmBackup.CorruptManifest*') { throw }
        & $fail "a file entry is not valid ($($_.Exception.Message))"
    }
    if ($total -ne [long]$manifest.TotalBytes) { & $fail "its files add up to $total bytes but TotalBytes says $($manifest.TotalBytes)" }
    $extensions = [string[]]@($manifest.Extensions)
    $properties = $null
    if ($version -ge 2) { $properties = @{ Version = $version; SetName = [string]$manifest.SetName; StartTime = $startTime; EndTime = $endTime; Extensions = $extensions; FileCount = [long]$manifest.FileCount; TotalBytes = [long]$manifest.TotalBytes } }
    $digest = Get-VmmBackupManifestDigest -Shares $shares -Files $files -Failed $failed -Properties $properties
    if ($digest -ne [string]$manifest.Digest) { & $fail 'its digest does not match its content (the file was damaged or edited)' }

    [pscustomobject]@{
        Path       = $Path
        Version    = $version
        SetPath    = [System.IO.Path]::GetDirectoryName($Path)
        SetName    = [string]$manifest.SetName
        StartTime  = $startTime
        EndTime    = $endTime
        Shares     = $shares
        Extensions = $extensions
        Files      = $files
        Failed     = $failed
        TotalBytes = $total
    }
}
