function Test-VmmDscDatabaseFile {
    <#
    .SYNOPSIS
        Says what is wrong with a database backup file, or nothing when it counts as verified.
    .DESCRIPTION
        A backup counts as verified when (1) the file starts with the Microsoft Tape Format header that SQL
        Server writes at the start of every backup ('TAPE'), and (2) when Backup-VmmDatabase left its
        verification record beside the file (<file>.verify.json), that record names the file and says
        Verified = true (RESTORE VERIFYONLY succeeded). Returns $null when verified, else a sentence.
    .PARAMETER LiteralPath
        The .bak file.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)]
        [string] $LiteralPath
    )

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
        return "The backup '$LiteralPath' cannot be read: $($_.Exception.Message)"
    }
    if ($read -lt 4 -or [System.Text.Encoding]::ASCII.GetString($header, 0, 4) -cne 'TAPE') {
        return "The backup '$LiteralPath' is not a SQL Server backup: it lacks the Microsoft Tape Format header ('TAPE')."
    }
    $recordPath = $LiteralPath + '.verify.json'
    if (Test-Path -LiteralPath $recordPath -PathType Leaf) {
        try {
            $record = Get-Content -LiteralPath $recordPath -Raw -Encoding UTF8 -ErrorAction Stop | ConvertFrom-Json -ErrorAction Stop
            # An empty file is no JSON document: PowerShell 7 returns nothing for it, Windows PowerShell 5.1 fails.
            if ($null -eq $record) { throw 'The file holds no JSON value.' }
        } catch {
            return "The verification record '$recordPath' is not valid JSON: $($_.Exception.Message)"
        }
        if ($null -eq $record.PSObject.Properties['Verified'] -or $record.Verified -ne $true) {
            return "The verification record '$recordPath' says the backup did not verify (RESTORE VERIFYONLY)."
        }
    }
    return $null
}
