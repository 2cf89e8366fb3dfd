function Invoke-VmmInventoryDrill {
    <#
    .SYNOPSIS
        Loads an inventory snapshot and, when a VMM server answers, compares it with VMM (Compare-VmmInventory);
        returns State, Evidence and RtoSeconds.
    .DESCRIPTION
        Passed when the snapshot reads (format and schema version). The differences Compare-VmmInventory finds
        are evidence: they are what a restore of this backup would have to remove or add.
    .PARAMETER File
        The snapshot (.json written by Export-VmmInventory).
    .PARAMETER VMMServer
        The VMM management server to compare with.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)] [System.IO.FileInfo] $File,
        [Parameter(Mandatory = $true)] [string] $VMMServer
    )

    $evidence = New-Object -TypeName System.Collections.Generic.List[string]
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    try {
        $snapshot = Read-VmmInventorySnapshot -Path $File.FullName
    } catch {
        $evidence.Add($_.Exception.Message)
        return [pscustomobject]@{ State = 'Failed'; Evidence = $evidence.ToArray(); RtoSeconds = $null }
    }
    $watch.Stop()
    $evidence.Add(("'{0}' reads: {1} host(s), {2} virtual machine(s)." -f $File.Name, @($snapshot.hosts).Count, @($snapshot.virtualMachines).Count))
    $connected = $false
    try {
        $null = Get-VmmServerConnection -VMMServer $VMMServer
        $connected = $true
    } catch {
        $evidence.Add("Not compared with VMM: $($_.Exception.Message)")
    }
    if ($connected) {
        try {
            $differences = @(Compare-VmmInventory -Snapshot $File.FullName -VMMServer $VMMServer -WarningAction SilentlyContinue -ErrorAction Stop)
            if ($differences.Count -eq 0) {
                $evidence.Add("Compare-VmmInventory: VMM on '$VMMServer' holds what the snapshot holds.")
            } else {
                $listed = @($differences | Select-Object -First 10 | ForEach-Object { '{0} {1} {2}' -f $_.Action, $_.ObjectType, $_.Name })
                $evidence.Add(('Compare-VmmInventory: {0} difference(s) a restore would resolve: {1}' -f $differences.Count, ($listed -join '; ')))
            }
        } catch {
            $evidence.Add("Compare-VmmInventory failed: $($_.Exception.Message)")
        }
    }
    [pscustomobject]@{ State = 'Passed'; Evidence = $evidence.ToArray(); RtoSeconds = [math]::Round($watch.Elapsed.TotalSeconds, 3) }
}
