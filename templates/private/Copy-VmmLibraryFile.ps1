function Copy-VmmLibraryFile {
    <#
    .SYNOPSIS
        Streams one file to a new file with a fixed buffer, computing its SHA-256 while copying, and flushes
        the copy to disk before returning its length and hash.
    .DESCRIPTION
        The destination must not exist (it is created with CreateNew): callers write to a temporary name and
        rename it once the copy is complete. A failure to read the source throws error id
        VmmBackup.SourceReadFailed; a failure to write the destination throws VmmBackup.DestinationWriteFailed.
        The partial destination file is removed on failure.
    .PARAMETER Source
        File to read.
    .PARAMETER Destination
        File to create.
    .PARAMETER Buffer
        The copy buffer, reused between calls.
    .PARAMETER Progress
        Optional progress state (Id, Activity, Done, Total, FileIndex, FileCount, Watch): Done grows with the bytes
        copied and Write-Progress runs at most four times a second.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [string] $Source,

        [Parameter(Mandatory = $true)]
        [string] $Destination,

        [Parameter(Mandatory = $true)]
        [byte[]] $Buffer,

        [hashtable] $Progress
    )

    $sha = [System.Security.Cryptography.SHA256]::Create()
    $input_ = $null
    $output_ = $null
    $side = 'Source'
    $length = [long]0
    try {
        try {
            $input_ = New-Object -TypeName System.IO.FileStream -ArgumentList $Source, ([System.IO.FileMode]::Open), ([System.IO.FileAccess]::Read), ([System.IO.FileShare]::Read), 4096, ([System.IO.FileOptions]::SequentialScan)
            $side = 'Destination'
            $output_ = New-Object -TypeName System.IO.FileStream -ArgumentList $Destination, ([System.IO.FileMode]::CreateNew), ([System.IO.FileAccess]::Write), ([System.IO.FileShare]::None), 4096
            while ($true) {
                $side = 'Source'
                $read = $input_.Read($Buffer, 0, $Buffer.Length)
                if ($read -le 0) { break }
                $null = $sha.TransformBlock($Buffer, 0, $read, $null, 0)
                $side = 'Destination'
                $output_.Write($Buffer, 0, $read)
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
            $output_.Flush($true)
        } catch {
            if ($null -ne $output_) {
                $output_.Dispose()
                $output_ = $null
                if ([System.IO.File]::Exists($Destination)) { [System.IO.File]::Delete($Destination) }
            }
            $errorId = 'VmmBackup.DestinationWriteFailed'
            $category = [System.Management.Automation.ErrorCategory]::WriteError
            $message = "Cannot write '$Destination': $($_.Exception.Message)"
            if ($side -eq 'Source') {
                $errorId = 'VmmBackup.SourceReadFailed'
                $category = [System.Management.Automation.ErrorCategory]::ReadError
                $message = "Cannot read '$Source': $($_.Exception.Message)"
            }
            $exception = New-Object -TypeName System.IO.IOException -ArgumentList $message, $_.Exception
            $record = New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $exception, $errorId, $category, $Source
            $PSCmdlet.ThrowTerminatingError($record)
        }
        $null = $sha.TransformFinalBlock($Buffer, 0, 0)
        [pscustomobject]@{
            Length = $length
            Sha256 = ([System.BitConverter]::ToString($sha.Hash)).Replace('-', '').ToLowerInvariant()
        }
    } finally {
        if ($null -ne $output_) { $output_.Dispose() }
        if ($null -ne $input_) { $input_.Dispose() }
        $sha.Dispose()
    }
}
