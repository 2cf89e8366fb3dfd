function Copy-VmmLibraryFile {
    <#
    .SYNOPSIS
        Streams one file to a new file with a fixed buffer, computing its SHA-256 while copying, and returns the
        length and hash of what was copied.
    .DESCRIPTION
        The destination must not exist (it is created with CreateNew): callers write to a temporary name and
        rename it once the copy is complete. A failure to read the source throws error id
        VmmBackup.SourceReadFailed; a failure to write the destination throws VmmBackup.DestinationWriteFailed.
        The partial destination file is removed on failure. A plain function (no CmdletBinding): it runs once
        per file, and an advanced function costs several times more per call.
    .PARAMETER Source
        File to read.
    .PARAMETER Destination
        File to create.
    .PARAMETER Buffer
        The copy buffer, reused between calls.
    .PARAMETER Hasher
        A SHA256 instance to reuse between calls (reset after each file); a new one when omitted.
    .PARAMETER Progress
        Optional progress state (Id, Activity, Done, Total, FileIndex, FileCount, Watch): Done grows with the bytes
        copied and Write-Progress runs at most four times a second.
    .PARAMETER Flush
        Force the copy to disk before returning.
    #>
    param(
        [string] $Source,
        [string] $Destination,
        [byte[]] $Buffer,
        [System.Security.Cryptography.HashAlgorithm] $Hasher,
        [hashtable] $Progress,
        [switch] $Flush
    )

    $sha = $Hasher
    if ($null -eq $sha) { $sha = New-VmmSha256 }
    $reader = $null
    $writer = $null
    $side = 'Source'
    $created = $false
    $length = [long]0
    try {
        $reader = [System.IO.FileStream]::new($Source, [System.IO.FileMode]::Open, [System.IO.FileAccess]::Read, [System.IO.FileShare]::Read, 4096, [System.IO.FileOptions]::SequentialScan)
        $side = 'Destination'
        $writer = [System.IO.FileStream]::new($Destination, [System.IO.FileMode]::CreateNew, [System.IO.FileAccess]::Write, [System.IO.FileShare]::None, 4096)
        $created = $true
        while ($true) {
            $side = 'Source'
            $read = $reader.Read($Buffer, 0, $Buffer.Length)
            if ($read -le 0) { break }
            $null = $sha.TransformBlock($Buffer, 0, $read, $null, 0)
            $side = 'Destination'
            $writer.Write($Buffer, 0, $read)
            $length += $read
            if ($null -ne $Progress) {
                $Progress.Done += $read
                if ($Progress.Watch.ElapsedMilliseconds -ge 250) {
                    $Progress.Watch.Reset()
                    $Progress.Watch.Start()
                    $percent = 100
                    if ($Progress.Total -gt 0) { $percent = [int][math]::Min(100, [math]::Floor(100.0 * $Progress.Done / $Progress.Total)) }
                    Write-Progress -Id $Progress.Id -Activity $Progress.Activity -Status ('File {0} of {1}; {2:N0} of {3:N0} MB' -f $Progress.FileIndex, $Progress.FileCount, ($Progress.Done / 1MB), ($Progress.Total / 1MB)) -CurrentOperation $Source -PercentComplete $percent
                }
            }
        }
        $side = 'Destination'
        if ($Flush) { $writer.Flush($true) }
        $writer.Dispose()
        $writer = $null
        $null = $sha.TransformFinalBlock($Buffer, 0, 0)
        [pscustomobject]@{
            Length = $length
            Sha256 = ([System.BitConverter]::ToString($sha.Hash)).Replace('-', '').ToLowerInvariant()
        }
    } catch {
        if ($null -ne $writer) {
            $writer.Dispose()
            $writer = $null
        }
        if ($created) {
            try { if ([System.IO.File]::Exists($Destination)) { [System.IO.File]::Delete($Destination) } } catch { $null = $_ }
        }
        # Leave the reusable hasher clean for the next file.
        try { $null = $sha.TransformFinalBlock($Buffer, 0, 0) } catch { $null = $_ }
        $errorId = 'VmmBackup.DestinationWriteFailed'
        $category = [System.Management.Automation.ErrorCategory]::WriteError
        $message = "Cannot write '$Destination': $($_.Exception.Message)"
        if ($side -eq 'Source') {
            $errorId = 'VmmBackup.SourceReadFailed'
            $category = [System.Management.Automation.ErrorCategory]::ReadError
            $message = "Cannot read '$Source': $($_.Exception.Message)"
        }
        $exception = New-Object -TypeName System.IO.IOException -ArgumentList $message, $_.Exception
        throw (New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $exception, $errorId, $category, $Source)
    } finally {
        if ($null -ne $writer) { $writer.Dispose() }
        if ($null -ne $reader) { $reader.Dispose() }
        if ($null -eq $Hasher) { $sha.Dispose() }
    }
}
