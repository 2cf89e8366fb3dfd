function Read-VmmBackupSetManifest {
    <#
    .SYNOPSIS
        Reads backup-set.json (written by Invoke-VmmBackup) and checks its format and digest; throws
        VmmBackup.CorruptManifest when it is damaged.
    .DESCRIPTION
        Version 2 (written now): the digest covers the files and the name, times, VMM server, library set and
        the Id, State and Message of every item; a start after the end is refused. Version 1 (earlier
        releases) is still read: its digest covers the files only, which the result says with Version = 1.
    .PARAMETER Path
        The backup-set.json file.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory = $true)]
        [string] $Path
    )

    # Each check throws the reason; one error says the manifest is corrupt, with that reason.
    try {
        try {
            $document = [System.IO.File]::ReadAllText($Path, [System.Text.Encoding]::UTF8) | ConvertFrom-Json -ErrorAction Stop
        } catch {
            throw "it is not valid JSON ($($_.Exception.Message))"
        }
        if ($null -eq $document -or $document -is [array] -or $null -eq $document.PSObject.Properties['Format'] -or $document.Format -ne 'VmmBackup.BackupSet') {
            throw 'it is not a VmmBackup backup set manifest'
        }
        foreach ($name in 'Version', 'Name', 'StartTime', 'EndTime', 'Items', 'Files', 'Digest', 'LibrarySet') {
            if ($null -eq $document.PSObject.Properties[$name]) { throw "the field $name is missing" }
        }
        $version = 0
        if (-not [int]::TryParse([string]$document.Version, [ref]$version) -or ($version -ne 1 -and $version -ne 2)) { throw "version $($document.Version) is not supported" }
        $files = @(foreach ($file in @($document.Files)) { [pscustomobject]@{ Share = 0; Path = [string]$file.Path; Length = [long]$file.Length; Modified = 0; Sha256 = [string]$file.Sha256 } })
        foreach ($file in $files) {
            if ($file.Sha256 -notmatch '^[0-9a-f]{64}$' -or $file.Path -match '(^|/)\.{1,2}(/|$)|^/|^[A-Za-z]:') { throw "the entry '$($file.Path)' is not valid" }
        }
        try {
            $startTime = ConvertTo-VmmUtcTime -Value $document.StartTime -ErrorAction Stop
            $endTime = ConvertTo-VmmUtcTime -Value $document.EndTime -ErrorAction Stop
        } catch {
            throw 'StartTime or EndTime is not a date'
        }
        $properties = $null
        if ($version -ge 2) {
            if ($startTime -gt $endTime) { throw "it starts ($($startTime.ToString('u'))) after it ends ($($endTime.ToString('u')))" }
            $itemLines = @(foreach ($item in @($document.Items)) { [string]$item.Id + "`t" + [string]$item.State + "`t" + [string]$item.Message })
            $vmmServer = $null
            if ($null -ne $document.PSObject.Properties['VMMServer']) { $vmmServer = $document.VMMServer }
            $properties = @{ Version = $version; Name = [string]$document.Name; StartTime = $startTime; EndTime = $endTime; VMMServer = $vmmServer; LibrarySet = $document.LibrarySet; Items = $itemLines }
        }
        $digest = Get-VmmBackupManifestDigest -Shares @('backup-set') -Files $files -Failed @() -Properties $properties
        if ($digest -ne [string]$document.Digest) { throw 'its digest does not match its content (the file was damaged or edited)' }
    } catch {
        Stop-VmmCommand -Cmdlet $PSCmdlet -Message "The backup set manifest '$Path' is corrupt: $($_.Exception.Message)." -ErrorId CorruptManifest -Category InvalidData -Target $Path -ExceptionType ([System.IO.InvalidDataException])
    }
    [pscustomobject]@{
        Path       = $Path
        Version    = $version
        Name       = [string]$document.Name
        StartTime  = $startTime
        EndTime    = $endTime
        LibrarySet = $document.LibrarySet
        Items      = @($document.Items)
        Files      = $files
    }
}
