<#
    Bad input and hostile file systems through the cmdlets that write or judge backups. Each case builds its
    own folder (a library share, a backup destination, a restore target, and an 'outside' folder that nothing
    may touch), hashes the whole tree, runs one command, and asserts both the exact error or state and that
    nothing changed but what the case allows: entries that existed may change only under -Modifiable, new
    entries may appear only under -Addable.
#>
BeforeDiscovery {
    $script:cases = @(
        # ---- Backup-VmmLibraryShare: sources, destinations, overlap, links ----
        @{ Name = 'backup: a share that does not exist'; ErrorId = 'VmmBackup.LibraryShareNotFound'
            Setup = { param($c) New-CorpusShare $c }
            Act = { param($c) Backup-VmmLibraryShare -Path (Join-Path $c.Root 'no-such-share') -Destination $c.Dest -Confirm:$false } }
        @{ Name = 'backup: the root directory as destination'; ErrorId = 'VmmBackup.RootDestination'
            Setup = { param($c) New-CorpusShare $c }
            Act = { param($c) Backup-VmmLibraryShare -Path $c.Share -Destination '/' -WhatIf } }
        @{ Name = 'backup: a destination inside the share'; ErrorId = 'VmmBackup.DestinationInsideShare'
            Setup = { param($c) New-CorpusShare $c }
            Act = { param($c) Backup-VmmLibraryShare -Path $c.Share -Destination (Join-Path $c.Share 'backup') -Confirm:$false } }
        @{ Name = 'backup: the share itself as destination'; ErrorId = 'VmmBackup.DestinationInsideShare'
            Setup = { param($c) New-CorpusShare $c }
            Act = { param($c) Backup-VmmLibraryShare -Path $c.Share -Destination $c.Share -Confirm:$false } }
        @{ Name = 'backup: a share inside the destination'; ErrorId = 'VmmBackup.DestinationInsideShare'
            Setup = { param($c) New-CorpusShare $c }
            Act = { param($c) Backup-VmmLibraryShare -Path $c.Share -Destination $c.Root -Confirm:$false } }
        @{ Name = 'backup: a destination reached through a link into the share'; ErrorId = 'VmmBackup.DestinationInsideShare'
            Setup = { param($c) New-CorpusShare $c; $null = New-Item -ItemType SymbolicLink -Path (Join-Path $c.Outside 'to-share') -Target $c.Share }
            Act = { param($c) Backup-VmmLibraryShare -Path $c.Share -Destination (Join-Path $c.Outside 'to-share/backup') -Confirm:$false } }
        @{ Name = 'backup: a share reached through a link into the destination'; ErrorId = 'VmmBackup.DestinationInsideShare'
            Setup = { param($c) New-CorpusShare $c; $null = New-Item -ItemType Directory -Path (Join-Path $c.Dest 'inner'); [System.IO.File]::WriteAllText((Join-Path $c.Dest 'inner/x.iso'), 'x'); $null = New-Item -ItemType SymbolicLink -Path (Join-Path $c.Outside 'share-link') -Target (Join-Path $c.Dest 'inner') }
            Act = { param($c) Backup-VmmLibraryShare -Path (Join-Path $c.Outside 'share-link') -Destination $c.Dest -Confirm:$false } }
        @{ Name = 'backup: a destination whose real location is the root directory'; ErrorId = 'VmmBackup.RootDestination'
            Setup = { param($c) New-CorpusShare $c; $null = New-Item -ItemType Directory -Path (Join-Path $c.Outside 'root-link') }
            Act = { param($c) Use-CorpusRootLink; Backup-VmmLibraryShare -Path $c.Share -Destination (Join-Path $c.Outside 'root-link') -WhatIf } }
        @{ Name = 'backup: a destination that is an existing file'; ErrorId = 'VmmBackup.DestinationUnreachable'
            Setup = { param($c) New-CorpusShare $c; [System.IO.File]::WriteAllText((Join-Path $c.Outside 'a-file'), 'not a folder') }
            Act = { param($c) Backup-VmmLibraryShare -Path $c.Share -Destination (Join-Path $c.Outside 'a-file/backup') -Confirm:$false } }
        @{ Name = 'backup: only empty share paths'; ErrorId = 'VmmBackup.NoLibraryShare'
            Setup = { param($c) New-CorpusShare $c }
            Act = { param($c) Backup-VmmLibraryShare -Path '', ' ' -Destination $c.Dest -Confirm:$false } }
        @{ Name = 'backup: -KeepSets 0'; ErrorId = 'ParameterArgumentValidationError'
            Setup = { param($c) New-CorpusLibrary $c }
            Act = { param($c) Backup-VmmLibraryShare -Path $c.Share -Destination $c.Dest -KeepSets 0 -Confirm:$false } }
        @{ Name = 'backup: -KeepSets 3651'; ErrorId = 'ParameterArgumentValidationError'
            Setup = { param($c) New-CorpusLibrary $c }
            Act = { param($c) Backup-VmmLibraryShare -Path $c.Share -Destination $c.Dest -KeepSets 3651 -Confirm:$false } }
        @{ Name = 'backup: -Extension * is no extension'; ErrorId = 'VmmBackup.InvalidExtension'
            Setup = { param($c) New-CorpusLibrary $c }
            Act = { param($c) Backup-VmmLibraryShare -Path $c.Share -Destination $c.Dest -Extension '*' -KeepSets 1 -Confirm:$false } }
        @{ Name = 'backup: -Extension with a folder separator'; ErrorId = 'VmmBackup.InvalidExtension'
            Setup = { param($c) New-CorpusLibrary $c }
            Act = { param($c) Backup-VmmLibraryShare -Path $c.Share -Destination $c.Dest -Extension 'VHDs/a' -Confirm:$false } }
        @{ Name = 'backup: -Extension vhdx, .VHDX and *.vhdx are one filter'; State = 'Good'; Addable = @('dest')
            Setup = { param($c) New-CorpusShare $c }
            Act = { param($c) $r = Backup-VmmLibraryShare -Path $c.Share -Destination $c.Dest -Extension 'vhdx', '.VHDX', '*.vhdx' -Confirm:$false; if ($r.Files -ne 2) { throw "expected the 2 .vhdx files, got $($r.Files)" }; $r } }
        @{ Name = 'backup: -Extension vhd on a share of .vhdx files with -KeepSets 1 keeps the only good set'; State = 'Missing'; Warning = '*matches none of the 4 files*'; Addable = @('dest'); Modifiable = @('dest/.lock')
            Setup = { param($c) New-CorpusLibrary $c }
            Act = { param($c) Backup-VmmLibraryShare -Path $c.Share -Destination $c.Dest -Extension 'vhd' -KeepSets 1 -Confirm:$false } }
        @{ Name = 'backup: an emptied share with -KeepSets 1 keeps the good sets'; State = 'Missing'; Warning = '*holds no file*'; Addable = @('dest'); Modifiable = @('share', 'dest/.lock')
            Setup = { param($c) New-CorpusLibrary $c -Twice }
            Act = { param($c) Remove-Item -LiteralPath (Get-ChildItem -LiteralPath $c.Share).FullName -Recurse -Force; Backup-VmmLibraryShare -Path $c.Share -Destination $c.Dest -KeepSets 1 -Confirm:$false } }
        @{ Name = 'backup: an emptied share backed up twice with -KeepSets 2 keeps both good sets'; State = 'Good'; Warning = '*holds no file*'; Addable = @('dest'); Modifiable = @('share', 'dest/.lock')
            Setup = { param($c) New-CorpusLibrary $c -Twice }
            Act = {
                param($c)
                Remove-Item -LiteralPath (Get-ChildItem -LiteralPath $c.Share).FullName -Recurse -Force
                foreach ($run in 1, 2) {
                    $r = Backup-VmmLibraryShare -Path $c.Share -Destination $c.Dest -KeepSets 2 -Confirm:$false
                    if ($r.State -ne 'Missing' -or $r.Pruned -ne 0) { throw "run $run : State $($r.State), Pruned $($r.Pruned)" }
                }
                if ((Test-VmmBackup -Path $c.Dest).State -ne 'Missing') { throw 'the newest (empty) set is not reported Missing' }
                Test-VmmBackup -Path $c.Sets[0]
            } }
        @{ Name = 'backup: a share that lost most of its files does not count for -KeepSets'; State = 'Good'; Warning = '*under half of the files or bytes*'; Addable = @('dest'); Modifiable = @('share', 'dest/.lock')
            Setup = { param($c) New-CorpusLibrary $c }
            Act = { param($c) Remove-Item -LiteralPath (Join-Path $c.Share 'VHDs'), (Join-Path $c.Share 'ISO') -Recurse -Force; Backup-VmmLibraryShare -Path $c.Share -Destination $c.Dest -KeepSets 1 -Confirm:$false } }
        @{ Name = 'backup: objects/ in the destination is a link'; ErrorId = 'VmmBackup.LinkInDestination'
            Setup = { param($c) New-CorpusShare $c; $null = New-Item -ItemType Directory -Path $c.Dest; $null = New-Item -ItemType SymbolicLink -Path (Join-Path $c.Dest 'objects') -Target $c.Outside }
            Act = { param($c) Backup-VmmLibraryShare -Path $c.Share -Destination $c.Dest -Confirm:$false } }
        @{ Name = 'backup: sets/ in the destination is a link'; ErrorId = 'VmmBackup.LinkInDestination'
            Setup = { param($c) New-CorpusShare $c; $null = New-Item -ItemType Directory -Path $c.Dest; $null = New-Item -ItemType SymbolicLink -Path (Join-Path $c.Dest 'sets') -Target $c.Outside }
            Act = { param($c) Backup-VmmLibraryShare -Path $c.Share -Destination $c.Dest -Confirm:$false } }
        @{ Name = 'backup: a stored-file folder objects/<xx> is a link'; ErrorId = 'VmmBackup.LinkInDestination'
            Setup = { param($c) New-CorpusLibrary $c; $folder = @(Get-ChildItem -LiteralPath (Join-Path $c.Dest 'objects') -Directory | Where-Object Name -NE 'tmp')[0].FullName; Move-Item -LiteralPath $folder -Destination (Join-Path $c.Outside 'moved'); $null = New-Item -ItemType SymbolicLink -Path $folder -Target (Join-Path $c.Outside 'moved') }
            Act = { param($c) Backup-VmmLibraryShare -Path $c.Share -Destination $c.Dest -Confirm:$false } }
        @{ Name = 'backup: another backup holds the destination'; ErrorId = 'VmmBackup.DestinationBusy'
            Setup = { param($c) New-CorpusLibrary $c }
            Act = { param($c) $lock = [System.IO.FileStream]::new((Join-Path $c.Dest '.lock'), 'Open', 'ReadWrite', 'None'); try { Backup-VmmLibraryShare -Path $c.Share -Destination $c.Dest -Confirm:$false } finally { $lock.Dispose() } } }
        @{ Name = 'backup: -WhatIf with -KeepSets writes and removes nothing'; State = 'NoOutput'
            Setup = { param($c) New-CorpusLibrary $c -Twice }
            Act = { param($c) $r = Backup-VmmLibraryShare -Path $c.Share -Destination $c.Dest -KeepSets 1 -WhatIf; if ($null -eq $r) { 'NoOutput' } else { $r } } }
        @{ Name = 'backup: a dangling link in the share is reported, the set is Corrupt and nothing is pruned'; State = 'Corrupt'; ErrorId = 'VmmBackup.SourceReadFailed'; Addable = @('dest'); Modifiable = @('dest/.lock')
            Setup = { param($c) New-CorpusLibrary $c; $null = New-Item -ItemType SymbolicLink -Path (Join-Path $c.Share 'dangling.vhd') -Target (Join-Path $c.Outside 'missing.vhd') }
            Act = { param($c) Backup-VmmLibraryShare -Path $c.Share -Destination $c.Dest -KeepSets 1 -Confirm:$false -ErrorAction Continue } }
        @{ Name = 'backup: a damaged earlier manifest is no base and is kept'; State = 'Good'; Warning = '*damaged backup set*'; Addable = @('dest'); Modifiable = @('dest/.lock')
            Setup = { param($c) New-CorpusLibrary $c; [System.IO.File]::WriteAllText($c.Manifests[0], '{ "Format": "VmmBackup.LibraryManifest", truncated') }
            Act = { param($c) Backup-VmmLibraryShare -Path $c.Share -Destination $c.Dest -KeepSets 1 -Confirm:$false } }

        # ---- Restore-VmmLibraryShare ----
        @{ Name = 'restore: a folder of the target is a link leading outside'; ErrorId = 'VmmBackup.LinkInDestination'
            Setup = { param($c) New-CorpusLibrary $c; $null = New-Item -ItemType SymbolicLink -Path (Join-Path $c.Target 'VHDs') -Target $c.Outside }
            Act = { param($c) Restore-VmmLibraryShare -BackupSet $c.Dest -Destination $c.Target -Confirm:$false } }
        @{ Name = 'restore: a file of the target is a link leading outside'; ErrorId = 'VmmBackup.LinkInDestination'
            Setup = { param($c) New-CorpusLibrary $c; $null = New-Item -ItemType Directory -Path (Join-Path $c.Target 'ISO'); $null = New-Item -ItemType SymbolicLink -Path (Join-Path $c.Target 'ISO/c.iso') -Target (Join-Path $c.Outside 'canary.txt') }
            Act = { param($c) Restore-VmmLibraryShare -BackupSet $c.Dest -Destination $c.Target -Force -Confirm:$false } }
        @{ Name = 'restore: a folder that is not a backup set'; ErrorId = 'VmmBackup.BackupSetNotFound'
            Setup = { param($c) New-CorpusShare $c }
            Act = { param($c) Restore-VmmLibraryShare -BackupSet $c.Share -Destination $c.Target -Confirm:$false } }
        @{ Name = 'restore: an interrupted set'; ErrorId = 'VmmBackup.IncompleteBackupSet'
            Setup = { param($c) New-CorpusLibrary $c; $set = Join-Path $c.Dest 'sets/20990101_000000'; $null = New-Item -ItemType Directory -Path $set; [System.IO.File]::WriteAllText((Join-Path $set 'journal.jsonl'), '') }
            Act = { param($c) Restore-VmmLibraryShare -BackupSet (Join-Path $c.Dest 'sets/20990101_000000') -Destination $c.Target -Confirm:$false } }
        @{ Name = 'restore: a manifest whose EndTime was edited'; ErrorId = 'VmmBackup.CorruptBackupSet'
            Setup = { param($c) New-CorpusLibrary $c; Edit-CorpusText $c.Manifests[0] '"EndTime": "[^"]*"' '"EndTime": "2999-01-01T00:00:00.0000000Z"' }
            Act = { param($c) Restore-VmmLibraryShare -BackupSet $c.Dest -Destination $c.Target -Confirm:$false } }
        @{ Name = 'restore: a manifest whose file path was edited'; ErrorId = 'VmmBackup.CorruptBackupSet'
            Setup = { param($c) New-CorpusLibrary $c; Edit-CorpusText $c.Manifests[0] '"VHDs/a.vhdx"' '"VHDs/z.vhdx"' }
            Act = { param($c) Restore-VmmLibraryShare -BackupSet $c.Dest -Destination $c.Target -Confirm:$false } }
        @{ Name = 'restore: a stored file is missing'; ErrorId = 'VmmBackup.CorruptBackupSet'
            Setup = { param($c) New-CorpusLibrary $c; Remove-Item -LiteralPath (Get-CorpusObject $c 'ISO/c.iso') }
            Act = { param($c) Restore-VmmLibraryShare -BackupSet $c.Dest -Destination $c.Target -Confirm:$false } }
        @{ Name = 'restore: a stored file is damaged (same size)'; ErrorId = 'VmmBackup.HashMismatch'; State = 'NotVerified'; Addable = @('target')
            Setup = { param($c) New-CorpusLibrary $c; $object = Get-CorpusObject $c 'ISO/c.iso'; $bytes = [System.IO.File]::ReadAllBytes($object); $bytes[0] = $bytes[0] -bxor 1; [System.IO.File]::WriteAllBytes($object, $bytes) }
            Act = { param($c) $r = Restore-VmmLibraryShare -BackupSet $c.Dest -Destination $c.Target -Confirm:$false -ErrorAction Continue; if ($r.Verified) { 'Verified' } else { 'NotVerified' } } }
        @{ Name = 'restore: the root directory as target (previewed)'; ErrorId = 'VmmBackup.RootDestination'
            Setup = { param($c) New-CorpusLibrary $c }
            Act = { param($c) Restore-VmmLibraryShare -BackupSet $c.Dest -Destination '/' -WhatIf } }
        @{ Name = 'restore: a target share that does not exist'; ErrorId = 'VmmBackup.DestinationUnreachable'
            Setup = { param($c) New-CorpusLibrary $c }
            Act = { param($c) Restore-VmmLibraryShare -BackupSet $c.Dest -Destination (Join-Path $c.Root 'no-such-target') -Confirm:$false } }
        @{ Name = 'restore: a set of two shares without -Share'; ErrorId = 'VmmBackup.ShareNotChosen'
            Setup = { param($c) New-CorpusLibrary $c -SecondShare }
            Act = { param($c) Restore-VmmLibraryShare -BackupSet $c.Dest -Destination $c.Target -Confirm:$false } }
        @{ Name = 'restore: a -Share the set does not hold'; ErrorId = 'VmmBackup.ShareNotInBackupSet'
            Setup = { param($c) New-CorpusLibrary $c }
            Act = { param($c) Restore-VmmLibraryShare -BackupSet $c.Dest -Destination $c.Target -Share (Join-Path $c.Root 'other') -Confirm:$false } }
        @{ Name = 'restore: a manifest with a path leading out of the target (valid digest)'; ErrorId = 'VmmBackup.CorruptBackupSet'
            Setup = { param($c) New-CorpusLibrary $c; Set-CorpusManifest $c.Manifests[0] { param($m) $m.Files[0].Path = '../outside/canary.txt' } }
            Act = { param($c) Restore-VmmLibraryShare -BackupSet $c.Dest -Destination $c.Target -Confirm:$false } }
        @{ Name = 'restore: an existing different file is left alone without -Force'; ErrorId = 'VmmBackup.FileDiffers'; State = 'NotVerified'; Addable = @('target')
            Setup = { param($c) New-CorpusLibrary $c; $null = New-Item -ItemType Directory -Path (Join-Path $c.Target 'ISO'); [System.IO.File]::WriteAllText((Join-Path $c.Target 'ISO/c.iso'), 'local change') }
            Act = { param($c) $r = Restore-VmmLibraryShare -BackupSet $c.Dest -Destination $c.Target -Confirm:$false -ErrorAction Continue; if ($r.Verified) { 'Verified' } else { 'NotVerified' } } }

        # ---- Test-VmmBackup: library sets ----
        @{ Name = 'test: a library manifest whose EndTime was edited to 2999'; State = 'Corrupt'; Detail = '*digest does not match*'
            Setup = { param($c) New-CorpusLibrary $c; Edit-CorpusText $c.Manifests[0] '"EndTime": "[^"]*"' '"EndTime": "2999-01-01T00:00:00.0000000Z"' }
            Act = { param($c) Test-VmmBackup -Path $c.Dest } }
        @{ Name = 'test: a library manifest ending in 2999 with a valid digest'; State = 'Corrupt'; Detail = '*ends in the future*'
            Setup = { param($c) New-CorpusLibrary $c; Set-CorpusManifest $c.Manifests[0] { param($m) $m.EndTime = [datetime]::new(2999, 1, 1, 0, 0, 0, [System.DateTimeKind]::Utc) } }
            Act = { param($c) Test-VmmBackup -Path $c.Dest } }
        @{ Name = 'test: a library manifest starting after it ends (valid digest)'; State = 'Corrupt'; Detail = '*starts*after it ends*'
            Setup = { param($c) New-CorpusLibrary $c; Set-CorpusManifest $c.Manifests[0] { param($m) $m.StartTime = $m.EndTime.AddHours(1) } }
            Act = { param($c) Test-VmmBackup -Path $c.Dest } }
        @{ Name = 'test: a library manifest of the earlier format (store format 1) still verifies, and says so'; State = 'Good'; Detail = '*store format 1*'
            Setup = { param($c) New-CorpusLibrary $c; ConvertTo-CorpusVersion1 $c.Manifests[0] }
            Act = { param($c) Test-VmmBackup -Path $c.Dest } }
        @{ Name = 'test: an edited version 1 library manifest is Corrupt'; State = 'Corrupt'; Detail = '*digest does not match*'
            Setup = { param($c) New-CorpusLibrary $c; ConvertTo-CorpusVersion1 $c.Manifests[0]; Edit-CorpusText $c.Manifests[0] '"Modified": (\d+)' '"Modified": 1$1' }
            Act = { param($c) Test-VmmBackup -Path $c.Dest } }
        @{ Name = 'test: a library set with no file is not Good'; State = 'Missing'; Detail = '*holds no file*'
            Setup = { param($c) New-CorpusLibrary $c; Set-CorpusManifest $c.Manifests[0] { param($m) $m.Files = @() } }
            Act = { param($c) Test-VmmBackup -Path $c.Dest } }
        @{ Name = 'test: a library set with nothing from one of its shares is not Good'; State = 'Missing'; Detail = '*holds no file from*'
            Setup = { param($c) New-CorpusLibrary $c -SecondShare; Set-CorpusManifest $c.Manifests[0] { param($m) $m.Files = @($m.Files | Where-Object { $_.Share -eq 0 }) } }
            Act = { param($c) Test-VmmBackup -Path $c.Dest } }
        @{ Name = 'test: a library manifest whose FileCount was edited'; State = 'Corrupt'; Detail = '*FileCount*'
            Setup = { param($c) New-CorpusLibrary $c; Edit-CorpusText $c.Manifests[0] '"FileCount": \d+' '"FileCount": 99' }
            Act = { param($c) Test-VmmBackup -Path $c.Dest } }
        @{ Name = 'test: a library manifest whose failure list was emptied'; State = 'Corrupt'; Detail = '*digest does not match*'
            Setup = { param($c) New-CorpusLibrary $c; $null = New-Item -ItemType SymbolicLink -Path (Join-Path $c.Share 'dangling.vhd') -Target (Join-Path $c.Outside 'missing.vhd'); $r = Backup-VmmLibraryShare -Path $c.Share -Destination $c.Dest -Confirm:$false -ErrorAction SilentlyContinue; $text = [System.IO.File]::ReadAllText($r.ManifestPath); $text = [regex]::Replace($text, '"Failed": \[[^\]]*\]', '"Failed": []'); [System.IO.File]::WriteAllText($r.ManifestPath, $text) }
            Act = { param($c) Test-VmmBackup -Path $c.Dest } }
        @{ Name = 'test: a library manifest of an unknown version'; State = 'Corrupt'; Detail = '*version 3 is not supported*'
            Setup = { param($c) New-CorpusLibrary $c; Edit-CorpusText $c.Manifests[0] '"formatVersion": 2' '"Version": 3' }
            Act = { param($c) Test-VmmBackup -Path $c.Dest } }
        @{ Name = "test: a library manifest pointing one file at another file's stored copy (same size)"; State = 'Corrupt'; Detail = '*digest does not match*'
            Setup = { param($c) New-CorpusLibrary $c
                $copy = Join-Path $c.Share 'VHDs/e.vhdx'; $bytes = [System.IO.File]::ReadAllBytes((Join-Path $c.Share 'VHDs/a.vhdx')); $bytes[0] = $bytes[0] -bxor 1; [System.IO.File]::WriteAllBytes($copy, $bytes)
                $r = Backup-VmmLibraryShare -Path $c.Share -Destination $c.Dest -Confirm:$false; $c.Manifests = @($r.ManifestPath)
                Edit-CorpusText $r.ManifestPath (Split-Path -Leaf (Get-CorpusObject $c 'VHDs/a.vhdx')) (Split-Path -Leaf (Get-CorpusObject $c 'VHDs/e.vhdx')) }
            Act = { param($c) Test-VmmBackup -Path $c.Dest } }
        @{ Name = 'test: a library stored file damaged at its size'; State = 'Corrupt'; Detail = '*does not match its SHA-256*'
            Setup = { param($c) New-CorpusLibrary $c; $object = Get-CorpusObject $c 'VHDs/a.vhdx'; $bytes = [System.IO.File]::ReadAllBytes($object); $bytes[10] = $bytes[10] -bxor 1; [System.IO.File]::WriteAllBytes($object, $bytes) }
            Act = { param($c) Test-VmmBackup -Path $c.Dest } }

        # ---- Test-VmmBackup: runs of Invoke-VmmBackup ----
        @{ Name = 'test: backup-set.json whose EndTime was edited'; State = 'Corrupt'; Detail = '*digest does not match*'
            Setup = { param($c) New-CorpusRun $c; Edit-CorpusText $c.RunManifest '"EndTime": "[^"]*"' '"EndTime": "2999-01-01T00:00:00.0000000Z"' }
            Act = { param($c) Get-CorpusRow (Test-VmmBackup -Path $c.Run) 'Set' } }
        @{ Name = 'test: backup-set.json whose item result was edited'; State = 'Corrupt'; Detail = '*digest does not match*'
            Setup = { param($c) New-CorpusRun $c; Edit-CorpusText $c.RunManifest '"State": "Failed"' '"State": "Succeeded"' }
            Act = { param($c) Get-CorpusRow (Test-VmmBackup -Path $c.Run) 'Set' } }
        @{ Name = 'test: backup-set.json ending in 2999 with a valid digest'; State = 'Corrupt'; Detail = '*in the future*'
            Setup = { param($c) New-CorpusRun $c -End ([datetime]::new(2999, 1, 1, 0, 0, 0, [System.DateTimeKind]::Utc)) }
            Act = { param($c) Get-CorpusRow (Test-VmmBackup -Path $c.Run) 'Set' } }
        @{ Name = 'test: backup-set.json of the earlier format (version 1) still verifies, and says so'; State = 'Good'; Detail = '*version 1*'
            Setup = { param($c) New-CorpusRun $c; ConvertTo-CorpusRunVersion1 $c.RunManifest }
            Act = { param($c) Get-CorpusRow (Test-VmmBackup -Path $c.Run) 'Set' } }
        @{ Name = 'test: a database backup written in the future'; State = 'Corrupt'; Detail = '*in the future*'
            Setup = { param($c) New-CorpusRun $c; (Get-Item -LiteralPath (Join-Path $c.Run 'database/VirtualManagerDB.bak')).LastWriteTimeUtc = [datetime]::UtcNow.AddDays(30) }
            Act = { param($c) Get-CorpusRow (Test-VmmBackup -Path $c.Run) 'Database' } }
        @{ Name = 'test: a database backup without its TAPE header'; State = 'Corrupt'; Detail = '*does not match its SHA-256*'
            Setup = { param($c) New-CorpusRun $c; [System.IO.File]::WriteAllText((Join-Path $c.Run 'database/VirtualManagerDB.bak'), 'not a backup') }
            Act = { param($c) Get-CorpusRow (Test-VmmBackup -Path $c.Run) 'Database' } }
        @{ Name = 'test: the root directory'; ErrorId = 'VmmBackup.RootBackupPath'
            Setup = { param($c) }
            Act = { param($c) Test-VmmBackup -Path '/' } }
        @{ Name = 'test: a path that does not exist'; ErrorId = 'VmmBackup.BackupPathNotFound'
            Setup = { param($c) }
            Act = { param($c) Test-VmmBackup -Path (Join-Path $c.Root 'nothing-here') } }

        # ---- the other cmdlets that write files ----
        @{ Name = 'registry backup: the root directory'; ErrorId = 'VmmBackup.RootPath'
            Setup = { param($c) }
            Act = { param($c) Backup-VmmRegistrySetting -Path '/' -WhatIf } }
        @{ Name = 'registry backup: a folder whose real location is the root directory'; ErrorId = 'VmmBackup.RootPath'
            Setup = { param($c) $null = New-Item -ItemType Directory -Path (Join-Path $c.Outside 'root-link') }
            Act = { param($c) Use-CorpusRootLink; Backup-VmmRegistrySetting -Path (Join-Path $c.Outside 'root-link') -WhatIf } }
        @{ Name = 'registry backup: a link planted at the temporary file name is not written through'; State = 'Written'; Addable = @('dest')
            Setup = { param($c) $null = New-Item -ItemType Directory -Path $c.Dest; $null = New-Item -ItemType SymbolicLink -Path (Join-Path $c.Dest 'settings.reg.tmp') -Target (Join-Path $c.Outside 'canary.txt') }
            Act = { param($c) $r = Backup-VmmRegistrySetting -Path (Join-Path $c.Dest 'settings.reg') -Confirm:$false; if ((Get-Item -LiteralPath $r.Path).LinkType) { 'Link' } else { 'Written' } } }
        @{ Name = 'registry backup: an existing file that is not a .reg file'; ErrorId = 'VmmBackup.BadPath'
            Setup = { param($c) [System.IO.File]::WriteAllText((Join-Path $c.Outside 'plain'), 'x') }
            Act = { param($c) Backup-VmmRegistrySetting -Path (Join-Path $c.Outside 'plain') -Confirm:$false } }
        @{ Name = 'VM configuration: a folder of the destination is a link leading outside'; State = 'Failed'; ErrorId = 'Microsoft.PowerShell.Commands.WriteErrorException'
            Setup = { param($c) New-CorpusVM $c; $day = Join-Path $c.Dest (Get-Date).ToString('yyyyMMdd'); $null = New-Item -ItemType Directory -Path $day -Force; $null = New-Item -ItemType SymbolicLink -Path (Join-Path $day 'hv01') -Target $c.Outside }
            Act = { param($c) Backup-VmmVMConfiguration -Destination $c.Dest -VMMServer vmm01 -ErrorAction Continue } }
        @{ Name = 'VM configuration: the root directory'; Message = '*is a root directory*'
            Setup = { param($c) New-CorpusVM $c }
            Act = { param($c) Backup-VmmVMConfiguration -Destination '/' -VMMServer vmm01 -WhatIf } }
        @{ Name = 'inventory: the root directory'; Message = '*is a root directory*'
            Setup = { param($c) }
            Act = { param($c) Export-VmmInventory -Path '/' -VMMServer vmm01 -WhatIf } }
        @{ Name = 'Invoke-VmmBackup: the root directory'; ErrorId = 'VmmBackup.RootDestination'
            Setup = { param($c) }
            Act = { param($c) Invoke-VmmBackup -Destination '/' -VMMServer vmm01 -WhatIf } }
        @{ Name = 'Invoke-VmmBackup: a destination whose real location is the root directory'; ErrorId = 'VmmBackup.RootDestination'
            Setup = { param($c) $null = New-Item -ItemType Directory -Path (Join-Path $c.Outside 'root-link') }
            Act = { param($c) Use-CorpusRootLink; Invoke-VmmBackup -Destination (Join-Path $c.Outside 'root-link') -VMMServer vmm01 -WhatIf } }
    )
}

BeforeAll {
    Import-Module (Join-Path (Split-Path $PSScriptRoot -Parent) 'Support/VmmTestKit.psm1') -Force
    Import-VmmTestModule
    $script:settingsKey = 'HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Microsoft System Center Virtual Machine Manager Server\Settings'

    function New-CorpusShare {
        # A library share of four files (two .vhdx, an .iso, an .inf) in three folders.
        param($c)
        foreach ($pair in @(@('VHDs/a.vhdx', 3000), @('VHDs/b.vhdx', 2000), @('ISO/c.iso', 1500), @('drivers/d.inf', 40))) {
            $file = Join-Path $c.Share $pair[0]
            $null = New-Item -ItemType Directory -Path (Split-Path $file -Parent) -Force
            $bytes = New-Object byte[] $pair[1]
            (New-Object System.Random ($pair[1])).NextBytes($bytes)
            [System.IO.File]::WriteAllBytes($file, $bytes)
        }
    }

    function New-CorpusLibrary {
        # The share backed up once (or twice) to $c.Dest; with -SecondShare, a second share in the same sets.
        param($c, [switch] $Twice, [switch] $SecondShare)
        New-CorpusShare $c
        $paths = @($c.Share)
        if ($SecondShare) {
            $second = Join-Path $c.Root 'share2'
            $null = New-Item -ItemType Directory -Path $second
            [System.IO.File]::WriteAllText((Join-Path $second 'e.iso'), 'second share')
            $paths += $second
        }
        $c.Sets = @()
        $c.Manifests = @()
        foreach ($run in @(1) + @(if ($Twice) { 2 })) {
            $r = Backup-VmmLibraryShare -Path $paths -Destination $c.Dest -Confirm:$false
            $c.Sets += $r.SetPath
            $c.Manifests += $r.ManifestPath
        }
    }

    function Get-CorpusObject {
        # The stored file of a share file in the content store.
        param($c, [string] $Relative)
        $hash = (Get-FileHash -LiteralPath (Join-Path $c.Share $Relative) -Algorithm SHA256).Hash.ToLowerInvariant()
        Join-Path (Join-Path (Join-Path $c.Dest 'objects') $hash.Substring(0, 2)) $hash
    }

    function Edit-CorpusText {
        # Edits a file in place, as someone tampering with it would (no new digest).
        param([string] $Path, [string] $Pattern, [string] $Replacement)
        $text = [System.IO.File]::ReadAllText($Path)
        $edited = [regex]::Replace($text, $Pattern, $Replacement)
        if ($edited -eq $text) { throw "the pattern $Pattern is not in $Path" }
        [System.IO.File]::WriteAllText($Path, $edited)
    }

    function Set-CorpusManifest {
        # Rewrites a library manifest with the module's own writer (a valid digest) after -Edit changed it.
        param([string] $Path, [scriptblock] $Edit)
        $json = [System.IO.File]::ReadAllText($Path) | ConvertFrom-Json
        $m = [pscustomobject]@{
            SetName = [string]$json.SetName
            StartTime = ([datetime]$json.StartTime).ToUniversalTime()
            EndTime = ([datetime]$json.EndTime).ToUniversalTime()
            Shares = [string[]]@($json.Shares)
            Extensions = [string[]]@($json.Extensions)
            Files = @($json.Files)
            Failed = @($json.Failed)
        }
        & $Edit $m
        & (Get-Module VmmBackup) {
            param($Path, $m)
            [System.IO.File]::Delete($Path)
            Write-VmmBackupManifest -Path $Path -SetName $m.SetName -StartTime $m.StartTime -EndTime $m.EndTime -Shares $m.Shares -Extensions $m.Extensions -Files @($m.Files) -Failed @($m.Failed)
        } $Path $m
    }

    function ConvertTo-CorpusVersion1 {
        # A library manifest as earlier releases wrote it: Version 1, digest over shares, files and failures.
        param([string] $Path)
        $json = [System.IO.File]::ReadAllText($Path) | ConvertFrom-Json
        $digest = & (Get-Module VmmBackup) { param($j) Get-VmmBackupManifestDigest -Shares @($j.Shares) -Files @($j.Files) -Failed @($j.Failed) } $json
        Edit-CorpusText $Path '"formatVersion": 2' '"Version": 1'
        Edit-CorpusText $Path '"Digest": "[0-9a-f]{64}"' ('"Digest": "' + $digest + '"')
    }

    function New-CorpusRun {
        # A run as Invoke-VmmBackup lays it out: database/, registry/, inventory/, vmconfig/ and backup-set.json.
        param($c, [datetime] $End = [datetime]::UtcNow)
        $c.Run = Join-Path $c.Dest '20261126_020000'
        foreach ($folder in 'database', 'registry', 'inventory', 'vmconfig/hv01/vm01') { $null = New-Item -ItemType Directory -Path (Join-Path $c.Run $folder) -Force }
        $bak = New-Object byte[] 2048
        [System.Text.Encoding]::ASCII.GetBytes('TAPE').CopyTo($bak, 0)
        [System.IO.File]::WriteAllBytes((Join-Path $c.Run 'database/VirtualManagerDB.bak'), $bak)
        New-TestVerificationRecord -Path (Join-Path $c.Run 'database/VirtualManagerDB.bak')
        $reg = "Windows Registry Editor Version 5.00`r`n`r`n[$($script:settingsKey)]`r`n`"IndigoTcpPort`"=dword:00001fa4`r`n"
        [System.IO.File]::WriteAllText((Join-Path $c.Run 'registry/VmmSettings.reg'), $reg, [System.Text.Encoding]::Unicode)
        [System.IO.File]::WriteAllText((Join-Path $c.Run 'inventory/VmmInventory.json'), '{"SchemaVersion":1,"Hosts":[]}')
        [System.IO.File]::WriteAllText((Join-Path $c.Run 'vmconfig/hv01/vm01/A1.vmcx'), 'vm configuration')
        $c.RunManifest = & (Get-Module VmmBackup) {
            param($Run, $End)
            $items = @(
                [pscustomobject]@{ Id = 'backup.database'; State = 'Succeeded'; Output = 'x'; Message = $null }
                [pscustomobject]@{ Id = 'backup.library'; State = 'Failed'; Output = $null; Message = 'no share' }
            )
            Write-VmmBackupSetManifest -SetPath $Run -StartTime $End.AddMinutes(-10) -EndTime $End -VMMServer 'vmm01' -Items $items -LibrarySet $null
        } $c.Run $End
    }

    function ConvertTo-CorpusRunVersion1 {
        # backup-set.json as the earlier format wrote it: Version 1, digest over the files only.
        param([string] $Path)
        $json = [System.IO.File]::ReadAllText($Path) | ConvertFrom-Json
        $digest = & (Get-Module VmmBackup) {
            param($j)
            $files = @(foreach ($f in @($j.Files)) { [pscustomobject]@{ Share = 0; Path = [string]$f.Path; Length = [long]$f.Length; Modified = 0; Sha256 = [string]$f.Sha256 } })
            Get-VmmBackupManifestDigest -Shares @('backup-set') -Files $files -Failed @()
        } $json
        Edit-CorpusText $Path '"Version": 2' '"Version": 1'
        Edit-CorpusText $Path '"Digest": "[0-9a-f]{64}"' ('"Digest": "' + $digest + '"')
    }

    function Use-CorpusRootLink {
        # The folder 'root-link' resolves to the root directory, as a link to it would. A real link to the root
        # directory is never made: a test tool that cleans up by following links would walk the whole system.
        Mock -ModuleName VmmBackup Resolve-VmmRealPath { [System.IO.Path]::GetPathRoot($FullPath) } -ParameterFilter { $FullPath -like '*root-link*' }
    }

    function Get-CorpusRow {
        param($Rows, [string] $Item)
        @($Rows | Where-Object { $_.Item -eq $Item })[0]
    }

    function New-CorpusVM {
        # One VM, vm01 on hv01, whose configuration file is in the share folder.
        param($c)
        $folder = Join-Path $c.Share 'vm01'
        $null = New-Item -ItemType Directory -Path $folder -Force
        [System.IO.File]::WriteAllText((Join-Path $folder 'A1.vmcx'), 'config of vm01')
        Reset-VmmStub
        $script:corpusVms = @(New-TestVM 'vm01' 'hv01' -Extra @{ VMCPath = (Join-Path $folder 'A1.vmcx'); Location = $folder })
        Set-VmmStubBehavior Get-SCVirtualMachine { $script:corpusVms }
    }

    function Get-CorpusTree {
        # Every entry under Root: folders, files with their length and SHA-256, links with their target.
        param([string] $Root)
        $rows = @{}
        $pending = [System.Collections.Generic.Stack[string]]::new()
        $pending.Push($Root)
        while ($pending.Count -gt 0) {
            foreach ($entry in [System.IO.DirectoryInfo]::new($pending.Pop()).GetFileSystemInfos()) {
                $relative = [System.IO.Path]::GetRelativePath($Root, $entry.FullName).Replace('\', '/')
                if ($entry.Attributes -band [System.IO.FileAttributes]::ReparsePoint) {
                    $rows[$relative] = 'link ' + (Get-Item -LiteralPath $entry.FullName -Force).Target
                } elseif ($entry -is [System.IO.DirectoryInfo]) {
                    $rows[$relative] = 'folder'
                    $pending.Push($entry.FullName)
                } else {
                    $rows[$relative] = 'file {0} {1}' -f $entry.Length, (Get-FileHash -LiteralPath $entry.FullName -Algorithm SHA256).Hash
                }
            }
        }
        $rows
    }

    function Compare-CorpusTree {
        # What changed that the case does not allow: existing entries changed or removed outside -Modifiable,
        # new entries outside -Addable (or -Modifiable).
        param([hashtable] $Before, [hashtable] $After, [string[]] $Addable, [string[]] $Modifiable)
        $under = {
            param([string] $Relative, [string[]] $Roots)
            foreach ($root in $Roots) { if ($Relative -eq $root -or $Relative.StartsWith($root + '/')) { return $true } }
            $false
        }
        foreach ($key in $Before.Keys) {
            if ($After[$key] -ne $Before[$key] -and -not (& $under $key $Modifiable)) { "changed or removed: $key ($($Before[$key]) -> $($After[$key]))" }
        }
        foreach ($key in $After.Keys) {
            if (-not $Before.ContainsKey($key) -and -not (& $under $key (@($Addable) + @($Modifiable)))) { "added: $key" }
        }
    }
}

AfterAll { Remove-VmmTestModule }

Describe 'Bad input corpus' {
    It '<Name>' -ForEach $script:cases {
        Mock -ModuleName VmmBackup Read-VmmRegistryTree { [pscustomobject]@{ Path = $script:settingsKey; Values = @([pscustomobject]@{ Name = 'IndigoTcpPort'; Kind = 'DWord'; Data = 8100 }) } }
        $root = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $c = @{ Root = $root; Share = Join-Path $root 'share'; Dest = Join-Path $root 'dest'; Target = Join-Path $root 'target'; Outside = Join-Path $root 'outside' }
        foreach ($folder in $c.Share, $c.Target, $c.Outside) { $null = New-Item -ItemType Directory -Path $folder -Force }
        [System.IO.File]::WriteAllText((Join-Path $c.Outside 'canary.txt'), 'nothing may change this')
        & $Setup $c
        $before = Get-CorpusTree $root

        $thrown = $null
        $output = @()
        $ErrorActionPreference = 'Continue'
        try {
            $output = @(& $Act $c 2>&1 3>&1)
        } catch {
            $thrown = $_
        }
        $errors = @($output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $warnings = @($output | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
        $values = @($output | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] -and $_ -isnot [System.Management.Automation.WarningRecord] })

        if ($ErrorId -or $Message) {
            $seen = @($errors)
            if ($null -ne $thrown) { $seen += $thrown }
            $seen.Count | Should -BeGreaterThan 0 -Because 'the case expects an error'
            if ($ErrorId) { @($seen | Where-Object { $_.FullyQualifiedErrorId -like "$ErrorId*" }).Count | Should -BeGreaterThan 0 -Because "expected $ErrorId, got: $(@($seen | ForEach-Object { $_.FullyQualifiedErrorId + ' ' + $_.Exception.Message }) -join ' | ')" }
            if ($Message) { @($seen | Where-Object { $_.Exception.Message -like $Message }).Count | Should -BeGreaterThan 0 -Because "got: $(@($seen | ForEach-Object { $_.Exception.Message }) -join ' | ')" }
        } else {
            $thrown | Should -BeNullOrEmpty -Because 'the case expects no terminating error'
            @($errors | ForEach-Object { $_.FullyQualifiedErrorId }) | Should -BeNullOrEmpty -Because 'the case expects no error'
        }
        if ($State) {
            $thrown | Should -BeNullOrEmpty -Because "the case expects the state $State"
            $last = $values[-1]
            $actual = $last
            if ($null -ne $last -and $last -isnot [string]) { $actual = $last.State }
            $actual | Should -Be $State -Because "detail: $($last.Detail)"
            if ($Detail) { $last.Detail | Should -BeLike $Detail }
        }
        if ($Warning) { "$($warnings | ForEach-Object Message)" | Should -BeLike $Warning }

        $violations = @(Compare-CorpusTree -Before $before -After (Get-CorpusTree $root) -Addable $Addable -Modifiable $Modifiable)
        $violations | Should -BeNullOrEmpty
    }
}
