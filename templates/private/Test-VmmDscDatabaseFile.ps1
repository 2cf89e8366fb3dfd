function Test-VmmDscDatabaseFile {
    <#
    .SYNOPSIS
        Says what is wrong with a database backup file, or nothing when it counts as verified.
    .DESCRIPTION
        A backup counts as verified only on evidence: (1) the file starts with the Microsoft Tape Format header
        that SQL Server writes at the start of every backup ('TAPE'), and (2) the verification record that
        Backup-VmmDatabase writes beside the file after RESTORE VERIFYONLY succeeded (<file>.verify.json) says
        Verified = true and names this very file: its File name, SizeBytes and Sha256 match the file as it is now
        (the hash is computed here). A missing record, a record for another file, or a file changed since it was
        verified is Unverified; a file without the header is Corrupt. Returns $null when verified, else a
        sentence that starts with Corrupt: or Unverified: and says how to fix it.
    .PARAMETER LiteralPath
        The .bak file.
    .EXAMPLE
        Test-VmmDscDatabaseFile -LiteralPath 'D:\VmmBackup\VirtualManagerDB_20260101_010101.bak'
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)]
        [string] $LiteralPath
    )

    $fix = 'Take a new backup with Backup-VmmDatabase (it verifies with RESTORE VERIFYONLY and writes the record).'
    $header = New-Object -TypeName byte[] -ArgumentList 4
    $read = 0
    try {
        $stream = [System.IO.File]::Open($LiteralPath, [System.IO.FileMode]::Open, [System.IO.FileAccess]::Read, [System.IO.FileShare]::ReadWrite)
        try {
            $read = $stream.Read($header, 0, 4)
        } finally {
            $stream.Dispose()
        }
    } catch {
        return "Unverified: the backup '$LiteralPath' cannot be read: $($_.Exception.Message)"
    }
    if ($read -lt 4 -or [System.Text.Encoding]::ASCII.GetString($header, 0, 4) -cne 'TAPE') {
        return "Corrupt: the backup '$LiteralPath' is not a SQL Server backup: it lacks the Microsoft Tape Format header ('TAPE'). $fix"
    }
    $recordPath = $LiteralPath + '.verify.json'
    if (-not (Test-Path -LiteralPath $recordPath -PathType Leaf)) {
        return "Unverified: the backup '$LiteralPath' has no verification record ('$recordPath'), so nothing shows that RESTORE VERIFYONLY ever succeeded on it. $fix"
    }
    try {
        $record = Get-Content -LiteralPath $recordPath -Raw -Encoding UTF8 -ErrorAction Stop | ConvertFrom-Json -ErrorAction Stop
        # An empty file is no JSON document: PowerShell 7 returns nothing for it, Windows PowerShell 5.1 fails.
        if ($null -eq $record) { throw 'The file holds no JSON value.' }
    } catch {
        return "Unverified: the verification record '$recordPath' is not valid JSON: $($_.Exception.Message) $fix"
    }
    if ($record -isnot [System.Management.Automation.PSCustomObject]) {
        return "Unverified: the verification record '$recordPath' is not a JSON object. $fix"
    }
    $field = @{}
    foreach ($name in 'Verified', 'File', 'SizeBytes', 'Sha256') {
        $property = $record.PSObject.Properties[$name]
        if ($null -ne $property) { $field[$name] = $property.Value }
    }
    if (-not $field.ContainsKey('Verified') -or $field['Verified'] -isnot [bool] -or -not $field['Verified']) {
        return "Unverified: the verification record '$recordPath' does not say the backup verified (RESTORE VERIFYONLY). $fix"
    }
    $missing = @(foreach ($name in 'File', 'SizeBytes', 'Sha256') { if (-not $field.ContainsKey($name) -or $null -eq $field[$name]) { $name } })
    if ($missing.Count -gt 0) {
        return "Unverified: the verification record '$recordPath' does not name the file it verified (no $($missing -join ', ')). $fix"
    }
    $item = Get-Item -LiteralPath $LiteralPath
    if ([string]$field['File'] -ne $item.Name) {
        return "Unverified: the verification record '$recordPath' is for '$($field['File'])', not for '$($item.Name)'. $fix"
    }
    $size = $null
    if ($field['SizeBytes'] -is [int] -or $field['SizeBytes'] -is [long]) { $size = [long]$field['SizeBytes'] }
    if ($null -eq $size -or $size -ne $item.Length) {
        return "Unverified: the backup '$LiteralPath' is $($item.Length) bytes, but its verification record says $($field['SizeBytes']): the file changed after it was verified. $fix"
    }
    $hash = Get-VmmFileHash -Path $item.FullName
    if ([string]$field['Sha256'] -ne $hash) {
        return "Unverified: the SHA-256 of '$LiteralPath' does not match its verification record: the file changed after it was verified. $fix"
    }
    return $null
}
