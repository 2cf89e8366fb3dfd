function Read-VmmBackupSetManifest {
    <#
    .SYNOPSIS
        Reads backup-set.json (written by Invoke-VmmBackup) and checks its format and digest; throws
        VmmBackup.CorruptManifest when it is damaged.
    .PARAMETER Path
        The backup-set.json file.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory = $true)]
        [string] $Path
    )

    $fail = {
        param([string] $Why)
        $exception = New-Object -TypeName System.IO.InvalidDataException -ArgumentList ("The backup set manifest '$Path' is corrupt: $Why.")
        $record = New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $exception, 'VmmBackup.CorruptManifest', ([System.Management.Automation.ErrorCategory]::InvalidData), $Path
        $PSCmdlet.ThrowTerminatingError($record)
    }
    try {
        $document = [System.IO.File]::ReadAllText($Path, [System.Text.Encoding]::UTF8) | ConvertFrom-Json -ErrorAction Stop
    } catch {
        & $fail "it is not valid JSON ($($_.Exception.Message))"
    }
    if ($null -eq $document -or $document -is [array] -or $null -eq $document.PSObject.Properties['Format'] -or $document.Format -ne 'VmmBackup.BackupSet') {
        & $fail 'it is not a VmmBackup backup set manifest'
    }
    foreach ($name in 'Version', 'Name', 'StartTime', 'EndTime', 'Items', 'Files', 'Digest', 'LibrarySet') {
        if ($null -eq $document.PSObject.Properties[$name]) { & $fail "the field $name is missing" }
    }
    $files = @(foreach ($file in @($document.Files)) { [pscustomobject]@{ Share = 0; Path = [string]$file.Path; Length = [long]$file.Length; Modified = 0; Sha256 = [string]$file.Sha256 } })
    foreach ($file in $files) {
        if ($file.Sha256 -notmatch '^[0-9a-f]{64}$' -or $file.Path -match '(^|/)\.{1,2}(/|$)|^/|^[A-Za-z]:') { & $fail "the entry '$($file.Path)' is not valid" }
    }
    $digest = Get-VmmBackupManifestDigest -Shares @('backup-set') -Files $files -Failed @()
    if ($digest -ne [string]$document.Digest) { & $fail 'its digest does not match its content (the file was damaged or edited)' }
    $endTime = $document.EndTime
    if ($endTime -isnot [datetime]) { $endTime = [datetime]::Parse([string]$endTime, [System.Globalization.CultureInfo]::InvariantCulture, [System.Globalization.DateTimeStyles]::RoundtripKind) }
    [pscustomobject]@{
        Path       = $Path
        Name       = [string]$document.Name
        EndTime    = $endTime.ToUniversalTime()
        LibrarySet = $document.LibrarySet
        Items      = @($document.Items)
        Files      = $files
    }
}
