function Test-VmmLibraryBackupSet {
    <#
    .SYNOPSIS
        Verifies a library backup set: its manifest (format and digest), and every file it lists against its
        SHA-256 in the content store. Returns State (Good, Corrupt or Missing), Detail, LastWriteTime (when the
        set was completed) and Files.
    .PARAMETER Set
        A set returned by Resolve-VmmLibraryBackupSet.
    .PARAMETER ProgressId
        Write-Progress id for the hashing.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)]
        [pscustomobject] $Set,

        [int] $ProgressId = 2
    )

    if (-not $Set.Complete) {
        return [pscustomobject]@{ State = 'Missing'; Detail = "The set '$($Set.Name)' is incomplete: its backup was interrupted before the manifest was written. Run Backup-VmmLibraryShare again to finish it."; LastWriteTime = $null; Files = 0 }
    }
    try {
        $manifest = Read-VmmBackupManifest -Path $Set.ManifestPath
    } catch {
        return [pscustomobject]@{ State = 'Corrupt'; Detail = $_.Exception.Message; LastWriteTime = $null; Files = 0 }
    }
    $finished = $manifest.EndTime.ToLocalTime()
    $buffer = New-Object -TypeName byte[] -ArgumentList 1048576
    $checked = New-Object -TypeName 'System.Collections.Generic.Dictionary[string,string]'
    $problems = New-Object -TypeName System.Collections.Generic.List[string]
    $activity = "Verifying the library backup set $($Set.Name)"
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $index = 0
    try {
        foreach ($file in $manifest.Files) {
            $index++
            if ($watch.ElapsedMilliseconds -ge 250) {
                $watch.Reset()
                $watch.Start()
                Write-Progress -Id $ProgressId -Activity $activity -Status ('File {0} of {1}' -f $index, $manifest.Files.Count) -PercentComplete ([int](100.0 * $index / $manifest.Files.Count))
            }
            $hash = [string]$file.Sha256
            $verdict = $null
            if (-not $checked.TryGetValue($hash, [ref]$verdict)) {
                $objectPath = [System.IO.Path]::Combine($Set.ObjectsPath, $hash.Substring(0, 2), $hash)
                $info = New-Object -TypeName System.IO.FileInfo -ArgumentList $objectPath
                if (-not $info.Exists) {
                    $verdict = 'is missing from the backup store'
                } elseif ($info.Length -ne [long]$file.Length) {
                    $verdict = "has $($info.Length) bytes in the backup store instead of $($file.Length)"
                } else {
                    try {
                        if ((Get-VmmFileHash -Path $objectPath -Buffer $buffer) -eq $hash) { $verdict = '' } else { $verdict = 'does not match its SHA-256' }
                    } catch {
                        $verdict = "cannot be read ($($_.Exception.Message))"
                    }
                }
                $checked[$hash] = $verdict
            }
            if ($verdict.Length -gt 0) { $problems.Add("'$($manifest.Shares[[int]$file.Share])/$($file.Path)' $verdict") }
        }
    } finally {
        Write-Progress -Id $ProgressId -Activity $activity -Completed
    }
    if ($problems.Count -gt 0) {
        $first = ($problems | Select-Object -First 3) -join '; '
        return [pscustomobject]@{ State = 'Corrupt'; Detail = "$($problems.Count) of $($manifest.Files.Count) files are damaged: $first"; LastWriteTime = $finished; Files = $manifest.Files.Count }
    }
    if ($manifest.Failed.Count -gt 0) {
        $first = (@($manifest.Failed | Select-Object -First 3 | ForEach-Object { "'$($manifest.Shares[[int]$_.Share])/$($_.Path)'" })) -join ', '
        return [pscustomobject]@{ State = 'Corrupt'; Detail = "The set is incomplete: $($manifest.Failed.Count) files or folders could not be read when it was taken ($first)."; LastWriteTime = $finished; Files = $manifest.Files.Count }
    }
    [pscustomobject]@{ State = 'Good'; Detail = ('{0} files ({1:N0} MB) match their SHA-256.' -f $manifest.Files.Count, ($manifest.TotalBytes / 1MB)); LastWriteTime = $finished; Files = $manifest.Files.Count }
}
