function Wait-VmmCopyEngine {
    <#
    .SYNOPSIS
        Starts a copy engine (New-VmmCopyEngine) and waits for it, showing one progress bar for the whole run
        (files, bytes and MB/s of all workers) and writing each item the engine reports (a file that failed or
        differs) to the pipeline as soon as it is done, so that the caller reports it while the work goes on.
    .DESCRIPTION
        When the caller is stopped (Ctrl+C, an error), the engine is cancelled and the workers finish the file
        in hand before this returns: nothing is written after the caller has released its lock.
    .PARAMETER Engine
        The engine, with its files added.
    .PARAMETER ProgressId
        The Write-Progress id.
    .PARAMETER Activity
        The Write-Progress activity.
    .PARAMETER FileCount
        The number of files, for the status line.
    .PARAMETER Meanwhile
        Work of the caller that does not depend on the copy (asking a server something, say), run once on this
        thread right after the workers start, so that its time is spent while they copy. Its output is discarded:
        it keeps what it finds in a variable of the caller. Its error stops the wait, and the engine is cancelled.
    .EXAMPLE
        Wait-VmmCopyEngine -Engine $engine -ProgressId 1 -Activity 'Backing up' -FileCount 10 | ForEach-Object { Write-Warning $_.Error }
    .EXAMPLE
        $found = @{}
        Wait-VmmCopyEngine -Engine $engine -Activity 'Restoring' -FileCount 10 -Meanwhile { $found.Share = Get-Share } | ForEach-Object { $_ }
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [object] $Engine,

        [int] $ProgressId = 1,

        [Parameter(Mandatory = $true)]
        [string] $Activity,

        [int] $FileCount,

        [scriptblock] $Meanwhile
    )

    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $finished = $false
    try {
        $Engine.Start(0)
        if ($null -ne $Meanwhile) { $null = & $Meanwhile }
        $item = $null
        while (-not $finished) {
            $seconds = [math]::Max(0.001, $watch.Elapsed.TotalSeconds)
            $done = $Engine.BytesDone
            $percent = 100
            if ($Engine.TotalBytes -gt 0) { $percent = [int][math]::Min(100, [math]::Floor(100.0 * $done / $Engine.TotalBytes)) }
            Write-Progress -Id $ProgressId -Activity $Activity -Status ('{0} of {1} files; {2:N0} of {3:N0} MB; {4:N1} MB/s; {5} workers' -f $Engine.FilesDone, $FileCount, ($done / 1MB), ($Engine.TotalBytes / 1MB), ($done / 1MB / $seconds), $Engine.Workers) -PercentComplete $percent
            $finished = $Engine.Wait(250)
            while ($Engine.TryTakeFinished([ref]$item)) { $item }
        }
    } finally {
        if (-not $finished) {
            $Engine.Cancel()
            $null = $Engine.Wait(-1)
        }
    }
}
