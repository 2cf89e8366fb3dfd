function Test-VmmLibraryBackupSet {
    <#
    .SYNOPSIS
        Verifies a library backup set: its manifest (format and digest), and every file it lists against its
        SHA-256 in the content store. Returns State (Good, Corrupt or Missing), Detail, LastWriteTime (when the
        set was completed) and Files.
    .DESCRIPTION
        Never Good unless checked: a set is Corrupt when its manifest is damaged or edited, when it ends more
        than five minutes in the future (its age cannot be known: the clock or the evidence is wrong), when a
        stored file is missing or differs from its SHA-256, or when files could not be read when it was taken.
        It is Missing when a share it covers contributed no file at all (an empty or unmounted share, or an
        -Extension filter that matched nothing there): such a set holds nothing to restore for that share.
        A set written in the manifest format of earlier releases (version 1, whose digest does not cover its
        times) is still verified; its Detail says so.
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
    $skewMinutes = 5
    if ($manifest.EndTime -gt [datetime]::UtcNow.AddMinutes($skewMinutes)) {
        return [pscustomobject]@{ State = 'Corrupt'; Detail = ("The set '{0}' ends in the future ({1:u}, now {2:u}): its age cannot be known. Check the clock of the computer that wrote it and run Backup-VmmLibraryShare again." -f $Set.Name, $manifest.EndTime, [datetime]::UtcNow); LastWriteTime = $null; Files = $manifest.Files.Count }
    }
    $buffer = New-Object -TypeName byte[] -ArgumentList 1048576
    $storeType = (Get-VmmLibraryStoreType) + '.Store' -as [type]
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
                $objectPath = $storeType::ObjectPath($Set.ObjectsPath, $hash)
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
    $perShare = New-Object -TypeName 'int[]' -ArgumentList $manifest.Shares.Count
    foreach ($file in $manifest.Files) { $perShare[[int]$file.Share]++ }
    $empty = @(for ($i = 0; $i -lt $perShare.Length; $i++) { if ($perShare[$i] -eq 0) { "'" + $manifest.Shares[$i] + "'" } })
    if ($manifest.Shares.Count -eq 0 -or $empty.Count -gt 0) {
        $which = 'no share'
        if ($empty.Count -gt 0) { $which = 'the share(s) ' + ($empty -join ', ') }
        return [pscustomobject]@{ State = 'Missing'; Detail = "The set holds no file from $which (the share was empty or unreachable, as an unmounted volume looks, or the -Extension filter matched nothing there): it has nothing to restore for it. Check the share and run Backup-VmmLibraryShare again."; LastWriteTime = $finished; Files = $manifest.Files.Count }
    }
    $detail = '{0} files ({1:N0} MB) match their SHA-256.' -f $manifest.Files.Count, ($manifest.TotalBytes / 1MB)
    if ($manifest.FormatVersion -lt 2) { $detail += ' The manifest is in the format of earlier releases (store format 1): its digest does not cover its times, so its age is as the manifest says.' }
    [pscustomobject]@{ State = 'Good'; Detail = $detail; LastWriteTime = $finished; Files = $manifest.Files.Count }
}
