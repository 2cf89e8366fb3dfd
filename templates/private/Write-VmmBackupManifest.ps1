function Write-VmmBackupManifest {
    <#
    .SYNOPSIS
        Writes a library backup manifest (manifest.json) under a temporary name, flushes it to disk and renames
        it into place: the rename is the commit point of a backup set.
    .DESCRIPTION
        Format version 2: the digest covers every field that decides a state (set name, start and end time,
        extensions, file count, total bytes, the failures with their reasons, every file), so an edited time
        or count is detected as a damaged manifest (see Get-VmmBackupManifestDigest).
    .PARAMETER Path
        The final manifest path (<set>/manifest.json).
    .PARAMETER SetName
        Name of the backup set (its folder name).
    .PARAMETER StartTime
        When the backup started.
    .PARAMETER EndTime
        When the backup finished.
    .PARAMETER Shares
        The share paths backed up; file entries refer to them by index.
    .PARAMETER Extensions
        The extensions the backup was limited to (empty: all files).
    .PARAMETER Files
        The file entries (Share, Path with / separators, Length, Modified in Unix milliseconds, Sha256).
    .PARAMETER Failed
        Files or folders that could not be read (Share, Path, Error).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [string] $Path,

        [Parameter(Mandatory = $true)]
        [string] $SetName,

        [Parameter(Mandatory = $true)]
        [datetime] $StartTime,

        [Parameter(Mandatory = $true)]
        [datetime] $EndTime,

        [Parameter(Mandatory = $true)]
        [AllowEmptyCollection()]
        [string[]] $Shares,

        [AllowEmptyCollection()]
        [string[]] $Extensions = @(),

        [Parameter(Mandatory = $true)]
        [AllowEmptyCollection()]
        [object[]] $Files,

        [Parameter(Mandatory = $true)]
        [AllowEmptyCollection()]
        [object[]] $Failed
    )

    $totalBytes = [long]0
    foreach ($file in $Files) { $totalBytes += [long]$file.Length }
    $properties = @{ Version = 2; SetName = $SetName; StartTime = $StartTime; EndTime = $EndTime; Extensions = $Extensions; FileCount = $Files.Count; TotalBytes = $totalBytes }
    $digest = Get-VmmBackupManifestDigest -Shares $Shares -Files $Files -Failed $Failed -Properties $properties
    $nl = "`n"
    $builder = New-Object -TypeName System.Text.StringBuilder
    $null = $builder.Append('{').Append($nl)
    $null = $builder.Append('  "Format": "VmmBackup.LibraryManifest",').Append($nl)
    $null = $builder.Append('  "formatVersion": ').Append([int](Get-VmmLibraryStoreFormat).FormatVersion).Append(',').Append($nl)
    $null = $builder.Append('  "Version": 2,').Append($nl)
    $null = $builder.Append('  "SetName": ').Append((ConvertTo-VmmJsonString -Value $SetName)).Append(',').Append($nl)
    $null = $builder.Append('  "StartTime": "').Append($StartTime.ToUniversalTime().ToString('o', [System.Globalization.CultureInfo]::InvariantCulture)).Append('",').Append($nl)
    $null = $builder.Append('  "EndTime": "').Append($EndTime.ToUniversalTime().ToString('o', [System.Globalization.CultureInfo]::InvariantCulture)).Append('",').Append($nl)
    $null = $builder.Append('  "Shares": [')
    $index = 0
    foreach ($share in $Shares) {
        if ($index++ -gt 0) { $null = $builder.Append(', ') }
        $null = $builder.Append((ConvertTo-VmmJsonString -Value $share))
    }
    $null = $builder.Append('],').Append($nl)
    $null = $builder.Append('  "Extensions": [')
    $index = 0
    foreach ($extension in $Extensions) {
        if ($index++ -gt 0) { $null = $builder.Append(', ') }
        $null = $builder.Append((ConvertTo-VmmJsonString -Value $extension))
    }
    $null = $builder.Append('],').Append($nl)
    $null = $builder.Append('  "FileCount": ').Append($Files.Count).Append(',').Append($nl)
    $null = $builder.Append('  "TotalBytes": ').Append($totalBytes).Append(',').Append($nl)
    $null = $builder.Append('  "Digest": "').Append($digest).Append('",').Append($nl)
    $null = $builder.Append('  "Failed": [')
    $index = 0
    foreach ($failure in $Failed) {
        if ($index++ -gt 0) { $null = $builder.Append(',') }
        $null = $builder.Append($nl).Append('    {"Share": ').Append([int]$failure.Share).Append(', "Path": ').Append((ConvertTo-VmmJsonString -Value ([string]$failure.Path))).Append(', "Error": ').Append((ConvertTo-VmmJsonString -Value ([string]$failure.Error))).Append('}')
    }
    if ($Failed.Count -gt 0) { $null = $builder.Append($nl).Append('  ') }
    $null = $builder.Append('],').Append($nl)
    $null = $builder.Append('  "Files": [')
    $index = 0
    $special = [char[]](@([char]'"', [char]'\') + @(0..31 | ForEach-Object { [char]$_ }) + @([char]0x2028, [char]0x2029))
    foreach ($file in $Files) {
        if ($index++ -gt 0) { $null = $builder.Append(',') }
        $relative = [string]$file.Path
        if ($relative.IndexOfAny($special) -ge 0) {
            $quoted = ConvertTo-VmmJsonString -Value $relative
        } else {
            $quoted = '"' + $relative + '"'
        }
        $null = $builder.Append($nl).Append('    {"Share": ').Append([int]$file.Share).Append(', "Path": ').Append($quoted).Append(', "Length": ').Append([long]$file.Length).Append(', "Modified": ').Append([long]$file.Modified).Append(', "Sha256": "').Append(([string]$file.Sha256).ToLowerInvariant()).Append('"}')
    }
    if ($Files.Count -gt 0) { $null = $builder.Append($nl).Append('  ') }
    $null = $builder.Append(']').Append($nl).Append('}').Append($nl)

    $bytes = (New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false).GetBytes($builder.ToString())
    $temporary = $Path + '.' + [guid]::NewGuid().ToString('N') + '.tmp'
    $stream = New-Object -TypeName System.IO.FileStream -ArgumentList $temporary, ([System.IO.FileMode]::CreateNew), ([System.IO.FileAccess]::Write), ([System.IO.FileShare]::None)
    try {
        $stream.Write($bytes, 0, $bytes.Length)
        $stream.Flush($true)
    } finally {
        $stream.Dispose()
    }
    Move-VmmFileAtomic -Path $temporary -Destination $Path
}
