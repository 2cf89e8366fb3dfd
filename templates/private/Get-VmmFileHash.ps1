function Get-VmmFileHash {
    <#
    .SYNOPSIS
        Returns the SHA-256 of a file as lowercase hex, reading it in fixed-size blocks (flat memory).
    .PARAMETER Path
        The file (taken literally: no wildcards).
    .PARAMETER Buffer
        The read buffer to reuse; 1 MiB is allocated when omitted.
    #>
    param(
        [string] $Path,
        [byte[]] $Buffer
    )

    if ($null -eq $Buffer -or $Buffer.Length -eq 0) {
        $Buffer = New-Object -TypeName byte[] -ArgumentList 1048576
    }
    $sha = New-VmmSha256
    $stream = $null
    try {
        $stream = [System.IO.FileStream]::new($Path, [System.IO.FileMode]::Open, [System.IO.FileAccess]::Read, [System.IO.FileShare]::Read, 4096, [System.IO.FileOptions]::SequentialScan)
        while ($true) {
            $read = $stream.Read($Buffer, 0, $Buffer.Length)
            if ($read -le 0) { break }
            $null = $sha.TransformBlock($Buffer, 0, $read, $null, 0)
        }
        $null = $sha.TransformFinalBlock($Buffer, 0, 0)
        ([System.BitConverter]::ToString($sha.Hash)).Replace('-', '').ToLowerInvariant()
    } finally {
        if ($null -ne $stream) { $stream.Dispose() }
        $sha.Dispose()
    }
}
