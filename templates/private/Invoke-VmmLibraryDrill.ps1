function Invoke-VmmLibraryDrill {
    <#
    .SYNOPSIS
        Restores a library backup set (or a random sample of its files) into a scratch folder, verifies every
        restored byte against the manifest, and removes the scratch folder; returns State, Evidence,
        RtoSeconds, Bytes, Sampled and BackupTime.
    .DESCRIPTION
        The whole set is restored share by share with Restore-VmmLibraryShare itself (into <Scratch>\share<n>),
        so the drill proves the code a real restore runs. With -SampleBytes a random sample of files adding up to
        about that many bytes (at least one file) is copied out of the backup store as it is stored (the check
        below is what proves each copy). Then every restored file is read again: it must exist with the manifest's length
        and SHA-256, and the scratch folder must hold nothing else. The scratch folder is removed in all cases.
    .PARAMETER Set
        A set from Resolve-VmmLibraryBackupSet.
    .PARAMETER ScratchPath
        The folder under which the scratch folder is made.
    .PARAMETER SampleBytes
        Restore a random sample of about this many bytes; 0 restores the whole set.
    .PARAMETER VMMServer
        Passed to Restore-VmmLibraryShare (which asks VMM to refresh only a share it manages; never the scratch folder).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)] [pscustomobject] $Set,
        [Parameter(Mandatory = $true)] [string] $ScratchPath,
        [long] $SampleBytes = 0,
        [string] $VMMServer = 'localhost'
    )

    $evidence = New-Object -TypeName System.Collections.Generic.List[string]
    $result = [ordered]@{ State = 'Failed'; Evidence = $null; RtoSeconds = $null; Bytes = [long]0; Sampled = $false; BackupTime = $null }
    if (-not $Set.Complete) {
        $evidence.Add("The set '$($Set.Name)' is incomplete: its backup was interrupted before the manifest was written.")
        $result.Evidence = $evidence.ToArray()
        return [pscustomobject]$result
    }
    try {
        $manifest = Read-VmmBackupManifest -Path $Set.ManifestPath
    } catch {
        $evidence.Add($_.Exception.Message)
        $result.Evidence = $evidence.ToArray()
        return [pscustomobject]$result
    }
    $result.BackupTime = $manifest.EndTime

    $root = [System.IO.Path]::Combine((Resolve-VmmBackupPath -Path $ScratchPath -Create), 'vmm-drill-' + [guid]::NewGuid().ToString('N'))
    $null = [System.IO.Directory]::CreateDirectory($root)
    $buffer = New-Object -TypeName byte[] -ArgumentList 1048576
    $files = @($manifest.Files)
    $chosen = $files
    try {
        $watch = New-Object -TypeName System.Diagnostics.Stopwatch
        if ($SampleBytes -gt 0 -and $SampleBytes -lt $manifest.TotalBytes) {
            # A random sample: shuffle, then take files until the bytes are reached.
            $random = New-Object -TypeName System.Random
            $order = [int[]](0..($files.Count - 1))
            for ($i = $order.Count - 1; $i -gt 0; $i--) {
                $j = $random.Next($i + 1)
                $swap = $order[$i]; $order[$i] = $order[$j]; $order[$j] = $swap
            }
            $picked = New-Object -TypeName System.Collections.Generic.List[object]
            $total = [long]0
            foreach ($i in $order) {
                if ($picked.Count -gt 0 -and $total -ge $SampleBytes) { break }
                $picked.Add($files[$i])
                $total += [long]$files[$i].Length
            }
            $chosen = $picked.ToArray()
            $result.Sampled = $true
            $watch.Start()
            foreach ($problem in @(Export-VmmLibrarySetFile -Set $Set -Manifest $manifest -Files $chosen -Root $root)) { $evidence.Add($problem) }
            $watch.Stop()
            $evidence.Add(('Restored a random sample of {0} of {1} files ({2:N0} of {3:N0} bytes, {4:P1}) into a scratch folder.' -f $chosen.Count, $files.Count, $total, $manifest.TotalBytes, ($total / [math]::Max(1, $manifest.TotalBytes))))
        } else {
            $watch.Start()
            for ($share = 0; $share -lt $manifest.Shares.Count; $share++) {
                $target = [System.IO.Path]::Combine($root, 'share' + $share)
                $null = [System.IO.Directory]::CreateDirectory($target)
                $restoreErrors = @()
                $restoreWarnings = @()
                try {
                    $restore = Restore-VmmLibraryShare -BackupSet $Set.Path -Destination $target -Share $manifest.Shares[$share] -VMMServer $VMMServer -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable restoreErrors -WarningAction SilentlyContinue -WarningVariable restoreWarnings
                    $evidence.Add(('Share {0}: Restore-VmmLibraryShare restored {1} file(s), {2:N0} bytes, {3} failed.' -f $manifest.Shares[$share], $restore.Restored, $restore.Bytes, $restore.Failed))
                } catch {
                    $evidence.Add("Share $($manifest.Shares[$share]): Restore-VmmLibraryShare failed: $($_.Exception.Message)")
                }
                foreach ($problem in @($restoreErrors | Select-Object -First 5)) { $evidence.Add("Share $($manifest.Shares[$share]): $problem") }
                foreach ($warning in @($restoreWarnings | Where-Object { "$_" -notmatch 'refresh' })) { $evidence.Add("Share $($manifest.Shares[$share]): $warning") }
            }
            $watch.Stop()
        }
        $result.RtoSeconds = [math]::Round($watch.Elapsed.TotalSeconds, 3)

        # Every byte again, against the manifest.
        $bad = New-Object -TypeName System.Collections.Generic.List[string]
        $expected = New-Object -TypeName 'System.Collections.Generic.HashSet[string]' -ArgumentList ([System.StringComparer]::OrdinalIgnoreCase)
        $bytes = [long]0
        foreach ($file in $chosen) {
            $target = [System.IO.Path]::Combine($root, 'share' + [int]$file.Share, [string]::Join([string][System.IO.Path]::DirectorySeparatorChar, ([string]$file.Path).Split('/')))
            $null = $expected.Add([System.IO.Path]::GetFullPath($target))
            $info = New-Object -TypeName System.IO.FileInfo -ArgumentList $target
            $name = "'$($manifest.Shares[[int]$file.Share])/$($file.Path)'"
            if (-not $info.Exists) { $bad.Add("$name was not restored"); continue }
            if ($info.Length -ne [long]$file.Length) { $bad.Add("$name has $($info.Length) bytes instead of $($file.Length)"); continue }
            if ((Get-VmmFileHash -Path $target -Buffer $buffer) -ne [string]$file.Sha256) { $bad.Add("$name does not match its SHA-256 in the manifest"); continue }
            $bytes += $info.Length
        }
        $extra = @((New-Object -TypeName System.IO.DirectoryInfo -ArgumentList $root).GetFiles('*', [System.IO.SearchOption]::AllDirectories) | Where-Object { -not $expected.Contains($_.FullName) })
        foreach ($file in ($extra | Select-Object -First 3)) { $bad.Add("'$($file.FullName.Substring($root.Length + 1))' is in the restore but not in the manifest") }
        $result.Bytes = $bytes
        if ($bad.Count -gt 0) {
            $evidence.Add(('{0} of {1} restored file(s) are wrong: {2}' -f $bad.Count, $chosen.Count, (($bad | Select-Object -First 5) -join '; ')))
        } else {
            $evidence.Add(('Verified {0} file(s), {1:N0} bytes, byte for byte against the manifest (SHA-256 and length).' -f $chosen.Count, $bytes))
            if ($manifest.Failed.Count -gt 0) {
                $evidence.Add("The set is incomplete: $($manifest.Failed.Count) file(s) or folder(s) could not be read when it was taken.")
            } else {
                $result.State = 'Passed'
            }
        }
    } finally {
        try {
            [System.IO.Directory]::Delete($root, $true)
            $evidence.Add('Removed the scratch folder.')
        } catch {
            $result.State = 'Failed'
            $evidence.Add("Could not remove the scratch folder '$root': $($_.Exception.Message)")
        }
    }
    $result.Evidence = $evidence.ToArray()
    [pscustomobject]$result
}
