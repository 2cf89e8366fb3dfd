<#
    The fan-out of Backup-VmmLibraryShare, Restore-VmmLibraryShare, Test-VmmBackup and Invoke-VmmBackup over
    real PowerShell remoting: one sshd per simulated library server on 127.0.0.2 onwards (Support/SshServers),
    each with its own library folder. Covers three servers in parallel restored byte for byte, a server that
    cannot be reached, one killed in the middle of its run (then resumed), one frozen (bounded Failed), and a
    session that already runs another module version.
#>
BeforeAll {
    Import-Module (Join-Path (Split-Path $PSScriptRoot -Parent) 'Support/VmmTestKit.psm1') -Force
    Import-Module (Join-Path (Split-Path $PSScriptRoot -Parent) 'Support/SshServers.psm1') -Force
    Import-VmmTestModule

    function New-TestLibrary {
        # Files distinct per server (names and content), some in a subfolder.
        param([object] $Server, [int] $Count, [int] $Size)
        $seed = [int]($Server.Name.Split('.')[-1])
        $random = New-Object System.Random $seed
        $null = New-Item -ItemType Directory -Path (Join-Path $Server.Library 'VHDs') -Force
        for ($i = 0; $i -lt $Count; $i++) {
            $bytes = New-Object byte[] ($Size + $i)
            $random.NextBytes($bytes)
            [System.IO.File]::WriteAllBytes((Join-Path $Server.Library "VHDs/disk$seed-$i.vhdx"), $bytes)
        }
        [System.IO.File]::WriteAllText((Join-Path $Server.Library "server$seed.iso"), "image of $($Server.Name)")
    }

    function New-TestGate {
        # A named pipe among the server's library files, last in their order: its backup reads every other file,
        # journals it, then waits at the pipe until Open-TestGate. So a fault meets the run in its middle, however
        # fast or slow the machine is.
        param([object] $Server)
        $path = Join-Path $Server.Library 'VHDs/zzz-gate.vhdx'
        & mkfifo -- $path
        if ($LASTEXITCODE -ne 0) { throw "mkfifo $path failed" }
        $path
    }

    function Open-TestGate {
        # Lets a reader waiting at the gate go on (opening a pipe for reading and writing never waits), then
        # removes it.
        param([string] $Path)
        $stream = New-Object System.IO.FileStream -ArgumentList $Path, ([System.IO.FileMode]::Open), ([System.IO.FileAccess]::ReadWrite)
        $stream.Dispose()
        Remove-Item -LiteralPath $Path
    }

    function Get-TreeHash {
        # relative path -> SHA-256 of every file under a folder.
        param([string] $Root)
        $map = @{}
        foreach ($file in (Get-ChildItem -LiteralPath $Root -Recurse -File)) {
            $map[$file.FullName.Substring($Root.Length)] = (Get-FileHash -LiteralPath $file.FullName -Algorithm SHA256).Hash
        }
        $map
    }

    function Wait-Journal {
        # Until the server's unfinished set has journaled at least -Lines files (its run is in the middle).
        param([string] $Store, [int] $Lines, [int] $TimeoutMs = 60000)
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        while ($watch.ElapsedMilliseconds -lt $TimeoutMs) {
            $journal = @(Get-ChildItem -Path (Join-Path $Store 'sets/*/journal.jsonl') -ErrorAction SilentlyContinue)
            if ($journal.Count -gt 0) {
                $text = [System.IO.File]::ReadAllText($journal[0].FullName)
                if (($text.Split("`n") | Where-Object { $_ }).Count -ge $Lines) { return }
            }
            Start-Sleep -Milliseconds 20
        }
        throw "no journal with $Lines lines under $Store"
    }

    function Start-FaultWhenJournaled {
        # A separate runspace that waits for the server's run to be in the middle, then kills or freezes it.
        param([object] $Server, [string] $Store, [string] $Signal)
        $shell = [powershell]::Create()
        $null = $shell.AddScript({
                param($SupportModule, $Server, $Store, $Signal, $WaitFunction)
                Import-Module $SupportModule
                & ([scriptblock]::Create($WaitFunction)) -Store $Store -Lines 2
                Send-SshTestServerSignal -Server $Server -Signal $Signal
                'signalled'
            }).AddArgument((Join-Path (Split-Path $PSScriptRoot -Parent) 'Support/SshServers.psm1')).AddArgument($Server).AddArgument($Store).AddArgument($Signal).AddArgument(${function:Wait-Journal}.ToString())
        [pscustomobject]@{ Shell = $shell; Handle = $shell.BeginInvoke() }
    }

    function Complete-Fault {
        param([object] $Fault)
        $result = $Fault.Shell.EndInvoke($Fault.Handle)
        $errors = @($Fault.Shell.Streams.Error)
        $Fault.Shell.Dispose()
        if ($errors.Count -gt 0) { throw "fault runspace: $($errors[0])" }
        $result
    }

    $script:servers = @(Start-SshTestServer -Count 3 -ServerAliveInterval 1 -ServerAliveCountMax 2)
    foreach ($server in $script:servers) { New-TestLibrary -Server $server -Count 6 -Size 150000 }
    $script:sessions = @(New-SshTestSession -Server $script:servers)
    $script:root = $script:servers[0].Root
}

AfterAll {
    if ($script:sessions) { $script:sessions | Remove-PSSession -ErrorAction SilentlyContinue }
    Stop-SshTestServer -Server $script:servers
    Remove-VmmTestModule
}

Describe 'Fan-out over PSSessions' {

    Context 'three library servers at once' {
        BeforeAll {
            $destination = Join-Path $script:root 'store-parallel'
            $results = @(Backup-VmmLibraryShare -Session $script:sessions -Path Library -Destination $destination -ThrottleLimit 3 -InformationVariable information -ErrorVariable fanOutErrors -ErrorAction SilentlyContinue)
            # Each server's own temporary folder: the module was written there, and removed afterwards.
            $tempAfter = @(foreach ($server in $script:servers) { Get-ChildItem -LiteralPath $server.Temp -Filter 'VmmBackup-*' -Force | ForEach-Object FullName })
            foreach ($server in $script:servers) { $null = New-Item -ItemType Directory -Path (Join-Path $server.Folder 'Restored') -Force }
            $restores = @(Restore-VmmLibraryShare -Session $script:sessions -BackupSet $destination -Destination Restored -Confirm:$false -ErrorVariable restoreErrors -ErrorAction SilentlyContinue)
            $checks = @(Test-VmmBackup -Session $script:sessions -Path $destination -ErrorVariable checkErrors -ErrorAction SilentlyContinue)
        }

        It 'returns one LibraryBackup per server, each with its ComputerName and only its own files' {
            $fanOutErrors | Should -BeNullOrEmpty
            @($results.ComputerName | Sort-Object) | Should -Be @('127.0.0.2', '127.0.0.3', '127.0.0.4')
            foreach ($result in $results) {
                Assert-VmmOutputSchema -InputObject $result -CmdletName 'Backup-VmmLibraryShare'
                $result.Files | Should -Be 7
                $result.SetPath | Should -BeLike (Join-Path (Join-Path $destination $result.ComputerName) 'sets/*')
                $manifest = Get-Content -Raw -LiteralPath $result.ManifestPath | ConvertFrom-Json
                $seed = $result.ComputerName.Split('.')[-1]
                @($manifest.Files.Path) | Should -Contain "server$seed.iso"
                @($manifest.Files.Path | Where-Object { $_ -notlike "*$seed*" }) | Should -BeNullOrEmpty
            }
        }

        It 'writes a summary: 3 servers, 3 succeeded, bytes and MB/s per server' {
            $summary = @($information | Where-Object { $_.Tags -contains 'VmmBackup.FanOutSummary' })[0].MessageData
            $summary.Servers | Should -Be 3
            $summary.Succeeded | Should -Be 3
            $summary.Failed | Should -Be 0
            foreach ($row in $summary.PerServer) { $row.Bytes | Should -BeGreaterThan 900000 }
        }

        It 'removes the per-run module folder from every server' {
            # (The servers' temporary folder is their own, where the module was written.)
            $remoteTemp = Invoke-Command -Session $script:sessions[0] -ScriptBlock { [System.IO.Path]::GetTempPath() }
            $remoteTemp.TrimEnd('/') | Should -Be $script:servers[0].Temp
            $tempAfter | Should -BeNullOrEmpty
        }

        It 'restores each server''s set onto that server, byte for byte' {
            $restoreErrors | Should -BeNullOrEmpty
            $restores.Count | Should -Be 3
            foreach ($server in $script:servers) {
                $restore = $restores | Where-Object ComputerName -EQ $server.Name
                $restore.Verified | Should -BeTrue
                $expected = Get-TreeHash -Root $server.Library
                $actual = Get-TreeHash -Root (Join-Path $server.Folder 'Restored')
                $actual.Count | Should -Be $expected.Count
                foreach ($key in $expected.Keys) { $actual[$key] | Should -Be $expected[$key] }
            }
        }

        It 'checks each server''s store Good' {
            $checkErrors | Should -BeNullOrEmpty
            @($checks | Where-Object State -NE 'Good') | Should -BeNullOrEmpty
            @($checks.ComputerName | Sort-Object -Unique) | Should -Be @('127.0.0.2', '127.0.0.3', '127.0.0.4')
        }
    }

    Context 'a server that cannot be reached' {
        It 'fails that server alone, with the reason, and the others are backed up' {
            $names = @(Get-SshTestComputerName -Server $script:servers[0])
            $port = $script:servers[2].Port
            $names += "$($script:servers[0].UserName)@127.0.0.5:$port"
            $destination = Join-Path $script:root 'store-down'
            $results = @(Backup-VmmLibraryShare -ComputerName $names -KeyFilePath $script:servers[0].KeyFilePath -SshOption $script:servers[0].SshOption -Path Library -Destination $destination -ErrorVariable fanOutErrors -ErrorAction SilentlyContinue)
            @($results.ComputerName) | Should -Be @($script:servers[0].Name)
            $results[0].Files | Should -Be 7
            $failure = @($fanOutErrors | Where-Object { $_.FullyQualifiedErrorId -like 'VmmBackup.RemoteServerFailed*' })
            $failure.Count | Should -Be 1
            $failure[0].TargetObject | Should -Be '127.0.0.5'
            $failure[0].Exception.Message | Should -BeLike '*Cannot open a session*'
        }
    }

    Context 'Invoke-VmmBackup on a server that cannot be reached' {
        It 'writes one Failed plan item for that server, with its ComputerName and the reason, and the error' {
            $name = "$($script:servers[0].UserName)@127.0.0.5:$($script:servers[2].Port)"
            $items = @(Invoke-VmmBackup -ComputerName $name -KeyFilePath $script:servers[0].KeyFilePath -SshOption $script:servers[0].SshOption -Destination (Join-Path $script:root 'plan') -Confirm:$false -ErrorVariable fanOutErrors -ErrorAction SilentlyContinue)
            $items.Count | Should -Be 1
            Assert-VmmOutputSchema -InputObject $items[0] -CmdletName 'Invoke-VmmBackup'
            $items[0].Id | Should -Be 'fanout.server'
            $items[0].State | Should -Be 'Failed'
            $items[0].ComputerName | Should -Be '127.0.0.5'
            $items[0].Message | Should -BeLike '*Cannot open a session*'
            @($fanOutErrors | Where-Object { $_.FullyQualifiedErrorId -like 'VmmBackup.RemoteServerFailed*' }).Count | Should -Be 1
        }
    }

    Context 'a session that runs another VmmBackup version' {
        It 'refuses that server with both versions in the reason; the others run' {
            $fake = Join-Path $script:servers[0].Folder 'old/VmmBackup'
            $null = New-Item -ItemType Directory -Path $fake -Force
            Set-Content -LiteralPath (Join-Path $fake 'VmmBackup.psm1') -Value 'function Get-Old { }'
            New-ModuleManifest -Path (Join-Path $fake 'VmmBackup.psd1') -ModuleVersion '0.0.1' -RootModule 'VmmBackup.psm1' -FunctionsToExport 'Get-Old'
            $session = New-SshTestSession -Server $script:servers[0]
            try {
                Invoke-Command -Session $session -ScriptBlock { param($Path) Import-Module $Path } -ArgumentList (Join-Path $fake 'VmmBackup.psd1')
                $others = @($script:sessions | Where-Object ComputerName -NE $script:servers[0].Name)
                $destination = Join-Path $script:root 'store-version'
                $results = @(Backup-VmmLibraryShare -Session (@($session) + $others) -Path Library -Destination $destination -ErrorVariable fanOutErrors -ErrorAction SilentlyContinue)
                @($results.ComputerName | Sort-Object) | Should -Be @('127.0.0.3', '127.0.0.4')
                $failure = @($fanOutErrors | Where-Object { $_.FullyQualifiedErrorId -like 'VmmBackup.RemoteServerFailed*' })
                $failure.Count | Should -Be 1
                $failure[0].Exception.Message | Should -BeLike '*VmmBackup 0.0.1*0.1.0*'
                # Nothing was written for the refused server.
                Test-Path -LiteralPath (Join-Path $destination '127.0.0.2') | Should -BeFalse
            } finally {
                Remove-PSSession -Session $session
            }
        }
    }

    Context 'a server killed in the middle of its run' {
        It 'fails that server, the others are Good, and the next run resumes its set' {
            $victim = $script:servers[1]
            New-TestLibrary -Server $victim -Count 400 -Size 32000
            $gate = New-TestGate -Server $victim
            $destination = Join-Path $script:root 'store-killed'
            $store = Join-Path $destination $victim.Name
            $fault = Start-FaultWhenJournaled -Server $victim -Store $store -Signal Kill
            try {
                $results = @(Backup-VmmLibraryShare -Session $script:sessions -Path Library -Destination $destination -ErrorVariable fanOutErrors -ErrorAction SilentlyContinue)
                Complete-Fault $fault | Should -Be 'signalled'
            } finally {
                Open-TestGate $gate
                # The server is back (whatever the assertions say), with a new session for what follows.
                Restart-SshTestServer -Server $victim
                $again = New-SshTestSession -Server $victim
                $script:sessions = @($script:sessions | Where-Object ComputerName -NE $victim.Name) + @($again)
            }
            @($results.ComputerName | Sort-Object -Unique) | Should -Be @('127.0.0.2', '127.0.0.4')
            $failure = @($fanOutErrors | Where-Object { $_.FullyQualifiedErrorId -like 'VmmBackup.RemoteServerFailed*' })
            $failure.Count | Should -Be 1
            $failure[0].TargetObject | Should -Be $victim.Name
            $failure[0].Exception.Message | Should -BeLike '*session broke*'
            @(Get-ChildItem -Path (Join-Path $store 'sets/*/journal.jsonl')).Count | Should -Be 1

            # The next run resumes its unfinished set.
            $resumed = @(Backup-VmmLibraryShare -Session $again -Path Library -Destination $destination)
            $resumed.Count | Should -Be 1
            $resumed[0].Resumed | Should -BeGreaterOrEqual 2
            $resumed[0].Files | Should -Be 401
            (Test-VmmBackup -Path $store).State | Should -Be 'Good'
        }
    }

    Context 'a server that stops answering' {
        It 'fails that server within the keepalive bound, and the others are Good' {
            $victim = $script:servers[2]
            New-TestLibrary -Server $victim -Count 400 -Size 32000
            $gate = New-TestGate -Server $victim
            $destination = Join-Path $script:root 'store-frozen'
            $store = Join-Path $destination $victim.Name
            $fault = Start-FaultWhenJournaled -Server $victim -Store $store -Signal Freeze
            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            try {
                $results = @(Backup-VmmLibraryShare -Session $script:sessions -Path Library -Destination $destination -ErrorVariable fanOutErrors -ErrorAction SilentlyContinue)
                $elapsed = $watch.Elapsed.TotalSeconds
                Complete-Fault $fault | Should -Be 'signalled'
            } finally {
                Send-SshTestServerSignal -Server $victim -Signal Thaw
                Open-TestGate $gate
            }
            # Keepalives every second, two unanswered: the run ends within seconds, not never.
            $elapsed | Should -BeLessThan 60
            @($results.ComputerName | Sort-Object -Unique) | Should -Be @('127.0.0.2', '127.0.0.3')
            $failure = @($fanOutErrors | Where-Object { $_.FullyQualifiedErrorId -like 'VmmBackup.RemoteServerFailed*' })
            $failure.Count | Should -Be 1
            $failure[0].TargetObject | Should -Be $victim.Name
            foreach ($server in $script:servers[0, 1]) {
                (Test-VmmBackup -Path (Join-Path $destination $server.Name)).State | Should -Be 'Good'
            }
        }
    }
}
