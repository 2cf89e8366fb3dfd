function Write-VmmDrillRecord {
    <#
    .SYNOPSIS
        Writes the record of a restore drill beside the backups it drilled: <Root>\drills\drill-<stamp>.json
        (UTF-8 JSON, written whole through a temporary file), and returns its path.
    .DESCRIPTION
        The record holds Format VmmBackup.DrillRecord, Version 1, the path and set drilled, when it ran and the
        results (one per item, as Invoke-VmmRestoreDrill returns them; dates as ISO 8601 UTC). Get-VmmLastDrill
        reads it back for Test-VmmBackup and the DSC resources.
    .PARAMETER Root
        The backup destination (the folder that holds the sets).
    .PARAMETER Source
        The path the drill was given.
    .PARAMETER SetName
        The set drilled.
    .PARAMETER StartTime
        When the drill started.
    .PARAMETER Results
        The VmmBackup.DrillResult objects.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory = $true)] [string] $Root,
        [Parameter(Mandatory = $true)] [string] $Source,
        [AllowNull()] [string] $SetName,
        [Parameter(Mandatory = $true)] [datetime] $StartTime,
        [Parameter(Mandatory = $true)] [AllowEmptyCollection()] [object[]] $Results
    )

    $iso = { param($Value) if ($null -eq $Value) { $null } else { ([datetime]$Value).ToUniversalTime().ToString('o', [System.Globalization.CultureInfo]::InvariantCulture) } }
    $items = New-Object -TypeName System.Collections.Generic.List[object]
    foreach ($result in $Results) {
        $items.Add([ordered]@{
                Item           = $result.Item
                State          = $result.State
                Path           = $result.Path
                Evidence       = @($result.Evidence)
                BackupTime     = & $iso $result.BackupTime
                RpoHours       = $result.RpoHours
                RtoSeconds     = $result.RtoSeconds
                Bytes          = $result.Bytes
                BytesPerSecond = $result.BytesPerSecond
                Sampled        = $result.Sampled
                StartTime      = & $iso $result.StartTime
                EndTime        = & $iso $result.EndTime
            })
    }
    $record = [ordered]@{
        Format    = 'VmmBackup.DrillRecord'
        Version   = 1
        Path      = $Source
        Set       = $SetName
        Computer  = [System.Environment]::MachineName
        StartTime = & $iso $StartTime
        EndTime   = & $iso (Get-Date)
        Results   = $items.ToArray()
    }
    $folder = [System.IO.Path]::Combine($Root, 'drills')
    $null = [System.IO.Directory]::CreateDirectory($folder)
    $name = 'drill-{0}.json' -f $StartTime.ToUniversalTime().ToString('yyyyMMdd_HHmmss', [System.Globalization.CultureInfo]::InvariantCulture)
    $path = [System.IO.Path]::Combine($folder, $name)
    $n = 1
    while ([System.IO.File]::Exists($path)) {
        $path = [System.IO.Path]::Combine($folder, $name.Replace('.json', "_$n.json"))
        $n++
    }
    Write-VmmAtomicTextFile -Path $path -Text (ConvertTo-Json -InputObject $record -Depth 6)
    $path
}
